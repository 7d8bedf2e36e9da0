import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';

export interface ParsedPdf {
  pages: string[];
  text: string;
  attachments: Record<string, { content: Buffer; sha256: string }>;
}

/** Parses a PDF back with pdf.js (as a reader would) for tests: page texts and attachments. */
export async function readPdf(bytes: Uint8Array): Promise<ParsedPdf> {
  const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as typeof import('pdfjs-dist');
  const document = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    disableFontFace: true,
    standardFontDataUrl: `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= document.numPages; i++) {
    const page = await document.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  const attachments: ParsedPdf['attachments'] = {};
  const raw = ((await document.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
  for (const entry of Object.values(raw)) {
    const content = Buffer.from(entry.content);
    attachments[entry.filename] = { content, sha256: createHash('sha256').update(content).digest('hex') };
  }
  await document.destroy();
  return { pages, text: pages.join('\n'), attachments };
}
