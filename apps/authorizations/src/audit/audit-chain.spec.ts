import { ChainedFields, chainHash, ChainVerifier, GENESIS_HASH, canonicalJson } from './audit-chain';

function build(n: number): Array<ChainedFields & { prevHash: string; hash: string }> {
  const entries: Array<ChainedFields & { prevHash: string; hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      chain: 'c1',
      seq,
      eventId: `e${seq}`,
      occurredAt: `2026-11-23T10:00:0${seq}.000Z`,
      actor: 'user:u1',
      action: 'USER_UPDATE',
      targetType: 'user',
      targetId: 'u2',
      sourceIp: '127.0.0.1',
      requestId: `r${seq}`,
      before: { status: 'ACTIVE' },
      after: { status: 'SUSPENDED' },
      details: null,
    };
    const hash = chainHash(prev, fields);
    entries.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return entries;
}

function verify(entries: ReturnType<typeof build>, head: { seq: number; hash: string } | null) {
  const verifier = new ChainVerifier();
  entries.forEach((e) => verifier.push(e));
  return verifier.finish(head);
}

describe(ChainVerifier.name, () => {
  it('accepts an intact chain', () => {
    const entries = build(5);
    expect(verify(entries, { seq: 5, hash: entries[4].hash })).toEqual({ valid: true, entries: 5 });
  });

  it('detects an altered entry', () => {
    const entries = build(5);
    entries[2] = { ...entries[2], after: { status: 'ACTIVE' } };
    expect(verify(entries, { seq: 5, hash: entries[4].hash })).toMatchObject({ valid: false, firstBrokenSeq: 3 });
  });

  it('detects a deleted entry in the middle', () => {
    const entries = build(5);
    const withoutThird = [...entries.slice(0, 2), ...entries.slice(3)];
    expect(verify(withoutThird, { seq: 5, hash: entries[4].hash })).toMatchObject({ valid: false, firstBrokenSeq: 3 });
  });

  it('detects a deleted tail against the recorded head', () => {
    const entries = build(5);
    expect(verify(entries.slice(0, 4), { seq: 5, hash: entries[4].hash })).toMatchObject({ valid: false, firstBrokenSeq: 5 });
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
});
