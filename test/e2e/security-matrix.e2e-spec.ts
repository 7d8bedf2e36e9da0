import { RunningSystem, sharedSystem, SYSTEM_START_HOOK_TIMEOUT_MS } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { ACCESS } from './attack/access-table';
import { call, Operation, servedOperations } from './attack/operations';
import { ACTORS, ActorName, buildWorld, World } from './attack/world';

interface Cell {
  op: string;
  actor: ActorName;
  status: number;
  code?: string;
}

/**
 * Every operation of the OpenAPI document the gateway serves, called by every kind of
 * actor (world.ts), each answer compared with the table of expected statuses
 * (attack/access-table.ts). An operation without a row fails. What an administrator of
 * another company and an operator not managing the company get is also compared with the
 * answer to the same call on ids that do not exist: they must not be told apart.
 *
 * PROCURA_MATRIX_RECORD=1 prints the observed table instead of asserting (to write a new row).
 */
describe('Security matrix (e2e)', () => {
  let system: RunningSystem;
  let world: World;
  let operations: Operation[];
  const cells: Cell[] = [];
  const mismatches: string[] = [];
  let requests = 0;
  let elapsedMs = 0;

  beforeAll(async () => {
    system = await sharedSystem();
    world = await buildWorld(system);
    operations = await servedOperations(system.baseUrl);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  it('has a row for every operation the gateway serves, and none for an operation it does not', () => {
    const served = operations.map((op) => op.key);
    expect(served.filter((key) => !ACCESS[key])).toEqual([]);
    expect(Object.keys(ACCESS).filter((key) => !served.includes(key))).toEqual([]);
  });

  it('answers every actor as the table says, problem+json with a request id for every refusal', async () => {
    const started = Date.now();
    const ordered = [...operations.filter((op) => !ACCESS[op.key]?.last), ...operations.filter((op) => ACCESS[op.key]?.last)];
    for (const op of ordered) {
      const spec = ACCESS[op.key];
      if (!spec) continue;
      for (const actor of ACTORS) {
        const values = { ...world.ids, ...(spec.params?.(world, actor) ?? {}) };
        const caller = spec.stepUp ? await world.stepUpActor(actor) : { session: world.session(actor), totp: '' };
        const res = await call(caller.session, op, values, { body: spec.body?.(world, actor, caller.totp), query: spec.query });
        requests++;
        cells.push({ op: op.key, actor, status: res.status, code: res.body?.code });
        if (!spec.expected[actor].includes(res.status))
          mismatches.push(`${op.key} as ${actor}: ${res.status} ${res.body?.code ?? ''} (expected ${spec.expected[actor].join('|')})`);
        if (res.status === 503 && spec.healthReport) {
          // Under load a component may answer late and be reported down: the report must say which.
          const report = res.body as unknown as { status?: string; components?: Record<string, { status: string }> } | undefined;
          if (report?.status !== 'down' || !Object.values(report.components ?? {}).some((c) => c.status === 'down'))
            mismatches.push(`${op.key} as ${actor}: 503 is not a health report naming the component down`);
        } else if (res.status >= 400) {
          const problem = /^application\/problem\+json/.test(res.headers.get('content-type') ?? '');
          if (!problem || res.body?.requestId !== res.headers.get('x-request-id'))
            mismatches.push(`${op.key} as ${actor}: ${res.status} is not problem+json with the request id`);
        }
        if (res.status >= 500 && res.status !== 503) mismatches.push(`${op.key} as ${actor}: ${res.status}`);
      }
    }
    elapsedMs = Date.now() - started;
    if (process.env.PROCURA_MATRIX_RECORD) {
      for (const op of operations) {
        const line = ACTORS.map((actor) => cells.find((c) => c.op === op.key && c.actor === actor)?.status ?? '-').join(' ');
        process.stdout.write(`  '${op.key}': row('${line}'),\n`);
      }
      return;
    }
    expect(mismatches).toEqual([]);
  }, 600_000);

  it("answers another company's administrator and an operator not managing it exactly as for ids that do not exist", async () => {
    const differences: string[] = [];
    for (const op of operations.filter((o) => o.pathParams.length > 0 && !ACCESS[o.key]?.last)) {
      const spec = ACCESS[op.key];
      for (const actor of ['otherAdmin', 'otherOperator'] as const) {
        const real = cells.find((c) => c.op === op.key && c.actor === actor);
        const unknown = Object.fromEntries(
          op.pathParams.map((name) => [name, name === 'jobId' ? `msg-${randomUUID().replace(/-/g, '')}` : randomUUID()]),
        );
        const caller = spec.stepUp ? await world.stepUpActor(actor) : { session: world.session(actor), totp: '' };
        const res = await call(caller.session, op, unknown, { body: spec.body?.(world, actor, caller.totp), query: spec.query });
        requests++;
        if (real && (real.status !== res.status || real.code !== res.body?.code))
          differences.push(
            `${op.key} as ${actor}: ${real.status} ${real.code} for company A's ids, ${res.status} ${res.body?.code} for unknown ids`,
          );
      }
    }
    process.stdout.write(
      `[security matrix] ${requests} requests, ${cells.filter((c) => c.status >= 500 && c.status !== 503).length} answers 5xx (503 aside), ${elapsedMs} ms for the table\n`,
    );
    expect(differences).toEqual([]);
  }, 600_000);
});
