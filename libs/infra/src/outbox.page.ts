import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAIL_ID, type CaughtMail } from './caught-mail.store';

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f4f4f4}a{color:#0645ad}pre{white-space:pre-wrap;background:#f8f8f8;padding:1rem;border:1px solid #ddd}
iframe{width:100%;height:60vh;border:1px solid #ddd}dt{font-weight:600}dd{margin:0 0 .4rem 0}.muted{color:#777}`;

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${
    refresh ? '<meta http-equiv="refresh" content="5">' : ''
  }<style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderList(mails: CaughtMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (mail) =>
        `<tr><td>${escapeHtml(mail.receivedAt)}</td><td>${escapeHtml(mail.from)}</td><td>${escapeHtml(mail.to.join(', '))}</td>` +
        `<td><a href="/messages/${mail.id}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  const table = mails.length
    ? `<table><thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No message yet.</p>';
  return layout(
    'Outbox',
    `<h1>Outbox</h1><p class="muted">${mails.length} message(s), newest first. <a href="/api/messages">JSON</a></p>${table}`,
    true,
  );
}

export function renderMessage(mail: CaughtMail): string {
  const fields: [string, string][] = [
    ['From', mail.from],
    ['To', mail.to.join(', ')],
    ['Cc', mail.cc.join(', ')],
    ['Subject', mail.subject],
    ['Date', mail.date ?? ''],
    ['Received', mail.receivedAt],
    ...Object.entries(mail.headers),
    ...mail.attachments.map((a): [string, string] => ['Attachment', `${a.filename ?? '(unnamed)'} (${a.contentType}, ${a.size} bytes)`]),
  ];
  const details = fields
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  // The HTML part is served separately under a sandboxing CSP, never inlined into this page.
  const html = mail.html !== null ? `<h2>HTML part</h2><iframe sandbox src="/messages/${mail.id}/html" title="HTML part"></iframe>` : '';
  const text = mail.text !== null ? `<h2>Text part</h2><pre>${escapeHtml(mail.text)}</pre>` : '';
  return layout(
    mail.subject || '(no subject)',
    `<p><a href="/">&larr; Outbox</a> · <a href="/messages/${mail.id}.eml">raw .eml</a> · <a href="/api/messages/${mail.id}">JSON</a></p>` +
      `<h1>${escapeHtml(mail.subject || '(no subject)')}</h1><dl>${details}</dl>${html}${text}`,
  );
}

/** Routes of the outbox page; `load` reads the messages fresh from disk on each request. */
export async function handleOutboxRequest(req: IncomingMessage, res: ServerResponse, load: () => Promise<CaughtMail[]>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
  const path = new URL(req.url ?? '/', 'http://outbox').pathname;
  if (path === '/') return send(res, 200, 'text/html; charset=utf-8', renderList(await load()));
  if (path === '/api/messages') return send(res, 200, 'application/json', JSON.stringify(await load()));

  const match = /^\/(api\/)?messages\/([0-9a-f]+)(\.eml|\/html)?$/.exec(path);
  if (!match || !MAIL_ID.test(match[2])) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  const [, api, id, part] = match;
  const mail = (await load()).find((candidate) => candidate.id === id);
  if (!mail) return send(res, 404, 'text/plain; charset=utf-8', `No message ${id}`);
  if (api)
    return part ? send(res, 404, 'text/plain; charset=utf-8', 'Not found') : send(res, 200, 'application/json', JSON.stringify(mail));
  if (part === '/html') {
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'");
    return send(res, 200, 'text/html; charset=utf-8', mail.html ?? '');
  }
  if (part === '.eml') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(mail.emlPath)
      .on('error', () => res.destroy())
      .pipe(res);
    return;
  }
  return send(res, 200, 'text/html; charset=utf-8', renderMessage(mail));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
