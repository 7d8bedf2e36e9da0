import { createHmac, timingSafeEqual } from 'node:crypto';

export const TICKET_TTL_MS = 5 * 60_000;

/**
 * A short-lived, signed permission to read one document, issued after the access check
 * of GET /reports/{id}/file; the gateway then reads the file in chunks with it, without
 * an access check per chunk. The key derives from SECRETS_KEY, for this purpose only.
 */
export class DownloadTickets {
  private readonly key: Buffer;

  constructor(secretsKey: string) {
    this.key = createHmac('sha256', secretsKey).update('procura:reporting:download-ticket').digest();
  }

  issue(documentId: string, nowMs: number): string {
    const body = Buffer.from(JSON.stringify({ d: documentId, e: nowMs + TICKET_TTL_MS })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The document id of a genuine, unexpired ticket; undefined otherwise. */
  verify(ticket: string, nowMs: number): string | undefined {
    const [body, signature, extra] = ticket.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(body), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { d?: unknown; e?: unknown };
      if (typeof claims.d !== 'string' || typeof claims.e !== 'number' || claims.e <= nowMs) return undefined;
      return claims.d;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
