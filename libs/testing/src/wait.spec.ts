import { waitFor } from './wait';

describe('waitFor', () => {
  it('returns the first value that is neither undefined nor false, including falsy ones', async () => {
    let calls = 0;
    const value = await waitFor(async () => (++calls < 3 ? undefined : 0), { timeoutMs: 1000, intervalMs: 5, what: 'a zero' });
    expect(value).toBe(0);
    expect(calls).toBe(3);
    expect(await waitFor(async () => null, { timeoutMs: 100, what: 'null' })).toBeNull();
  });

  it('retries a throwing probe and reports its last error with what was awaited', async () => {
    let calls = 0;
    await expect(
      waitFor<string>(
        async () => {
          calls++;
          throw new Error(`not yet (${calls})`);
        },
        { timeoutMs: 600, intervalMs: 10, what: 'the welcome mail' },
      ),
    ).rejects.toThrow(/^Timed out after 600 ms waiting for the welcome mail; last probe failed with: not yet \(\d+\)$/);
    // Retried: at least a second probe (on a starved machine one probe can take most of the window).
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('fails at the deadline even when a probe never settles', async () => {
    const began = Date.now();
    await expect(waitFor(() => new Promise<string>(() => undefined), { timeoutMs: 100, what: 'a hanging probe' })).rejects.toThrow(
      'Timed out after 100 ms waiting for a hanging probe; last probe failed with: the probe did not settle before the deadline',
    );
    expect(Date.now() - began).toBeLessThan(1000);
  });
});
