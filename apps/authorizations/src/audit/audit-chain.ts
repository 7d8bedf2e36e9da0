import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers (everything but the hash itself). */
export interface ChainedFields {
  chain: string;
  seq: number;
  eventId: string;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  sourceIp: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256(previous hash ‖ canonical entry): changing, removing or reordering an entry breaks the chain after it. */
export function chainHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface ChainCheck {
  valid: boolean;
  entries: number;
  firstBrokenSeq?: number;
  problem?: string;
}

/**
 * Walks a chain in order. An altered entry fails its own hash; a deleted one leaves a
 * gap in the sequence or a link that does not match; a deleted tail no longer matches
 * the recorded head.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken?: { seq: number; problem: string };

  push(entry: ChainedFields & { prevHash: string; hash: string }): void {
    if (this.broken) return;
    this.count++;
    if (entry.seq !== this.expectedSeq) return this.fail(this.expectedSeq, `entry ${this.expectedSeq} is missing`);
    if (entry.prevHash !== this.prevHash) return this.fail(entry.seq, `entry ${entry.seq} does not link to the previous entry`);
    const { prevHash: _p, hash, ...fields } = entry;
    if (chainHash(this.prevHash, fields) !== hash) return this.fail(entry.seq, `entry ${entry.seq} was altered`);
    this.prevHash = hash;
    this.expectedSeq++;
  }

  finish(head: { seq: number; hash: string } | null): ChainCheck {
    if (!this.broken && head && (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash)) {
      this.fail(
        this.expectedSeq,
        `the chain ends at entry ${this.expectedSeq - 1} but its head records entry ${head.seq}: entries were removed`,
      );
    }
    return this.broken
      ? { valid: false, entries: this.count, firstBrokenSeq: this.broken.seq, problem: this.broken.problem }
      : { valid: true, entries: this.count };
  }

  private fail(seq: number, problem: string): void {
    this.broken = { seq, problem };
  }
}
