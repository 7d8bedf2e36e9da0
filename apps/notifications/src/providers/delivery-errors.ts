/**
 * How a provider call failed, decided by the provider that knows its protocol. Messages
 * carry status codes and error codes only, never the message content or a response body
 * (a provider may echo the text, and the text may hold a provisional password).
 */
export class TransientDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = TransientDeliveryError.name;
  }
}

/** The provider refused the message for good (bad address, 4xx): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = PermanentDeliveryError.name;
  }
}

/** At most `max` characters, one line: what the message log and the dead letters show. */
export function shortReason(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
