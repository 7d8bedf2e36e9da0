import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const checker = join(root, 'dist', 'tools', 'checks', 'module-graph.js');

// A provider whose module does not import what it needs starts nowhere; every e2e file then
// fails on a boot timeout. This finds it in seconds, from the built services (npm test builds).
describe('service module graphs', () => {
  it('resolve for every service, with nothing started', () => {
    expect(existsSync(checker)).toBe(true);
    const run = spawnSync(process.execPath, [checker], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr.trim()).toBe('');
    expect(run.stdout.match(/module graph resolves/g)).toHaveLength(5);
    expect(run.status).toBe(0);
  });
});
