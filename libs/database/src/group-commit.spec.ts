import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('runs a lone call at once, and groups the calls that arrive while a statement runs', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    let first = true;
    const commit = new GroupCommit<number, number>(async (inputs) => {
      groups.push(inputs);
      if (first) {
        first = false;
        await new Promise<void>((r) => (release = r));
      }
      return inputs.map((n) => n * 10);
    });
    const lone = commit.submit(1);
    const later = [2, 3, 4].map((n) => commit.submit(n));
    await new Promise((r) => setImmediate(r));
    expect(groups).toEqual([[1]]);
    release();
    expect(await lone).toBe(10);
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it("caps a group and gives a failed statement's error to every call of its group only", async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(async (inputs) => {
      groups.push(inputs);
      if (inputs.includes(3)) throw new Error('statement failed');
      return inputs;
    }, 2);
    const calls = [1, 2, 3, 4, 5].map((n) =>
      commit.submit(n).then(
        (v) => `ok ${v}`,
        (e: Error) => e.message,
      ),
    );
    expect(await Promise.all(calls)).toEqual(['ok 1', 'statement failed', 'statement failed', 'ok 4', 'ok 5']);
    // 1 ran alone; 2..5 waited for it and went two by two: [2, 3] failed, [4, 5] did not.
    expect(groups).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('refuses a statement that answers the wrong number of results', async () => {
    const commit = new GroupCommit<number, number>(async () => []);
    await expect(commit.submit(1)).rejects.toThrow('answered 0 results for 1 calls');
  });
});
