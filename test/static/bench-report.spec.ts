import { renderReport } from '../../bench/report';

describe('docs/benchmarks.md (bench/report.ts)', () => {
  const facts = {
    startedAt: new Date('2026-12-02T10:00:00Z'),
    finishedAt: new Date('2026-12-02T10:12:00Z'),
    loadBefore: [0.4, 0.5, 0.6],
    loadAfter: [1.9, 1.2, 0.8],
    filters: [],
  };

  it('puts the machine, the Node version, the load average and the method before the figures', () => {
    const text = renderReport([], facts);
    expect(text).toContain(`| Node | ${process.version} |`);
    expect(text).toMatch(/\| machine \| \d+ × .+, [\d.]+ GiB, /);
    expect(text).toContain('| load average (1 / 5 / 15 min) | before 0.40 / 0.50 / 0.60, after 1.90 / 1.20 / 0.80 |');
    expect(text).toContain('## Method');
    expect(text).toContain('(12.0 min)');
  });

  it('writes each figure beside its same-run baseline with the ratio and the target', () => {
    const text = renderReport(
      [
        {
          name: 'notifications',
          seconds: 61,
          figures: [
            {
              metric: 'e-mails/s',
              value: 425,
              unit: 'mail/s',
              baseline: { label: 'nodemailer direct', value: 561 },
              target: '≥ 70 % of direct',
              met: true,
            },
            { metric: 'p99 | latency', value: 12.5, unit: 'ms', target: '< 10 ms', met: false },
          ],
        },
        { name: 'report', seconds: 3, figures: [], error: 'Error: boom' },
      ],
      facts,
    );
    expect(text).toContain('| e-mails/s | 425 mail/s | 561 mail/s (nodemailer direct) | 75.8 % | ≥ 70 % of direct: met |');
    expect(text).toContain('| p99 \\| latency | 12.5 ms |  |  | < 10 ms: **not met** |');
    expect(text).toContain('## report\n\nFAILED after 3 s:');
  });
});
