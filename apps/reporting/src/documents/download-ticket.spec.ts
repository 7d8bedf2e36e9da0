import { DownloadTickets, TICKET_TTL_MS } from './download-ticket';

describe(DownloadTickets.name, () => {
  const tickets = new DownloadTickets('test-secrets-key-0123456789');
  const now = Date.UTC(2026, 10, 23, 10, 0, 0);

  it('lets the holder of a fresh ticket read that document', () => {
    expect(tickets.verify(tickets.issue('doc-1', now), now + 1000)).toBe('doc-1');
  });

  it('refuses an expired ticket', () => {
    expect(tickets.verify(tickets.issue('doc-1', now), now + TICKET_TTL_MS)).toBeUndefined();
  });

  it('refuses a ticket whose document was changed, or signed with another key', () => {
    const ticket = tickets.issue('doc-1', now);
    const [, signature] = ticket.split('.');
    const forged = `${Buffer.from(JSON.stringify({ d: 'doc-2', e: now + TICKET_TTL_MS })).toString('base64url')}.${signature}`;
    expect(tickets.verify(forged, now)).toBeUndefined();
    expect(new DownloadTickets('another-secrets-key-012345').verify(ticket, now)).toBeUndefined();
    expect(tickets.verify('garbage', now)).toBeUndefined();
  });
});
