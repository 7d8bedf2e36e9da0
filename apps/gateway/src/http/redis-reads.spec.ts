import { MultiGetter, TurnBatchedReads } from './redis-reads';

class FakeRedis implements MultiGetter {
  readonly calls: string[][] = [];
  failNext = false;
  constructor(private readonly data: Record<string, string>) {}
  mget(keys: string[]): Promise<Array<string | null>> {
    this.calls.push(keys);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('connection lost'));
    }
    return Promise.resolve(keys.map((k) => this.data[k] ?? null));
  }
}

describe('TurnBatchedReads', () => {
  it('sends the reads of one event-loop turn as one MGET of distinct keys', async () => {
    const redis = new FakeRedis({ a: '1', b: '2' });
    const reads = new TurnBatchedReads(redis);
    const answers = await Promise.all([reads.get('a'), reads.get('b'), reads.get('a'), reads.get('missing')]);
    expect(answers).toEqual(['1', '2', '1', null]);
    expect(redis.calls).toEqual([['a', 'b', 'missing']]);
  });

  it('reads again in a later turn: nothing is cached between turns', async () => {
    const data: Record<string, string> = { token: 'g1' };
    const redis = new FakeRedis(data);
    const reads = new TurnBatchedReads(redis);
    expect(await reads.get('token')).toBe('g1');
    data.token = 'g2';
    expect(await reads.get('token')).toBe('g2');
    expect(redis.calls).toEqual([['token'], ['token']]);
  });

  it('keeps the order of getMany, duplicates included', async () => {
    const reads = new TurnBatchedReads(new FakeRedis({ x: 'X', y: 'Y' }));
    expect(await reads.getMany(['y', 'x', 'y', 'z'])).toEqual(['Y', 'X', 'Y', null]);
  });

  it('fails every read of a turn whose MGET fails, and reads normally afterwards', async () => {
    const redis = new FakeRedis({ a: '1' });
    const reads = new TurnBatchedReads(redis);
    redis.failNext = true;
    const failed = await Promise.allSettled([reads.get('a'), reads.get('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await reads.get('a')).toBe('1');
  });

  it('splits a very large turn into MGETs of at most 1,000 keys', async () => {
    const redis = new FakeRedis({});
    const reads = new TurnBatchedReads(redis);
    await reads.getMany(Array.from({ length: 2500 }, (_, i) => `k${i}`));
    expect(redis.calls.map((c) => c.length)).toEqual([1000, 1000, 500]);
  });
});
