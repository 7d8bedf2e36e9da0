import { ApiSession, RunningSystem, sharedSystem, SYSTEM_START_HOOK_TIMEOUT_MS } from '@procura/testing';
import { ACCESS } from './attack/access-table';
import { fillPath, Operation, servedOperations } from './attack/operations';
import { ACTORS, ActorName, buildWorld, World } from './attack/world';

/** Longest an answer to bad input may take (a second attempt is made before failing: a busy machine is not a defect). */
const SLOW_MS = 2000;
/** Requests in flight at once. */
const CONCURRENCY = 4;

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const HUGE = 5000;
/** Hostile values that are nevertheless valid text: they may be accepted, never answered 5xx. */
const INJECTIONS = [
  "' OR '1'='1' --",
  'Robert"); DROP TABLE identity.users; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
];

interface Attack {
  op: Operation;
  /** What is tried, for the report (e.g. `body.label: NUL`). */
  what: string;
  path: string;
  body?: string;
  contentType?: string;
  /** Malformed input must be refused (4xx); hostile but valid input may be accepted. */
  mustRefuse: boolean;
}

interface Result {
  attack: Attack;
  status: number;
  ms: number;
  problem: boolean;
}

/** The first actor the table lets through, so that an attack reaches validation and the service behind it. */
function actorFor(op: Operation): ActorName {
  const row = ACCESS[op.key];
  return ACTORS.find((actor) => row?.expected[actor].some((s) => s < 400)) ?? 'admin';
}

/** Leaves of a JSON value, as paths (`grants[0].level`), to a few levels. */
function leaves(value: unknown, path: Array<string | number> = [], depth = 0): Array<{ path: Array<string | number>; value: unknown }> {
  if (depth > 3 || value === null || typeof value !== 'object') return path.length ? [{ path, value }] : [];
  const entries = Array.isArray(value) ? value.slice(0, 1).map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => leaves(child, [...path, key], depth + 1));
}

function withLeaf(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = leaf;
  return copy;
}

const label = (path: Array<string | number>) =>
  path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .slice(1);

/** Every attack on one operation: path parameters, query parameters, the body and each of its fields. */
function attacksOn(op: Operation, world: World): Attack[] {
  const attacks: Attack[] = [];
  const valid = fillPath(op.path, world.ids);
  const add = (what: string, path: string, body?: string, mustRefuse = true, contentType = 'application/json') =>
    attacks.push({ op, what, path, body, mustRefuse, contentType: body === undefined ? undefined : contentType });
  const spec = ACCESS[op.key];
  const validBody = spec?.body ? JSON.stringify(spec.body(world, actorFor(op), '123456')) : undefined;

  // Path parameters: each replaced, the others valid.
  for (const name of op.pathParams) {
    const values: Record<string, string> = {
      'path traversal': '..%2F..%2F..%2Fetc%2Fpasswd',
      'dot segments': '..',
      NUL: '%00',
      'lone surrogate': '%ED%A0%80',
      'malformed percent-encoding': '%E0%A4%A',
      'huge number': '99999999999999999999',
      negative: '-1',
      'SQL injection': encodeURIComponent("1' OR '1'='1"),
      [`${HUGE} characters`]: 'a'.repeat(HUGE),
    };
    for (const [what, raw] of Object.entries(values)) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === name ? raw : encodeURIComponent(world.ids[p])));
      add(`path ${name}: ${what}`, path, validBody);
    }
  }
  // Query parameters (declared ones, and one nobody declared).
  for (const name of op.queryParams) {
    const type = op.queryTypes[name];
    const numeric = type === 'number' || type === 'integer';
    // [value, refused whatever the parameter is, refused when it is a number, refused when it is a date]
    const values: Record<string, [string, boolean, boolean, boolean]> = {
      'huge number': ['99999999999999999999', false, true, true],
      negative: ['-1', false, true, true],
      'not a number': ['NaN', false, true, true],
      'exponent overflow': ['1e400', false, true, true],
      NUL: ['%00', true, true, true],
      // Decoded as replacement characters (U+FFFD): valid text, not a surrogate, once decoded.
      'malformed UTF-8': ['%ED%A0%80', false, true, true],
      'invalid date': ['2026-02-30T25:61:00Z', false, true, true],
      repeated: [`1&${name}=2`, true, true, true],
      [`${HUGE} characters`]: ['a'.repeat(HUGE), true, true, true],
    };
    for (const [what, [raw, always, ifNumber, ifDate]] of Object.entries(values)) {
      const mustRefuse = always || (numeric && ifNumber) || (type.endsWith('date-time') && ifDate);
      add(`query ${name}: ${what}`, `${valid}?${name}=${raw}`, validBody, mustRefuse);
    }
  }
  add('query: unknown parameter with NUL', `${valid}?unknownParameter=%00`, validBody);

  // Whole bodies, to every operation but reads (a GET's body has no meaning in HTTP and is not read).
  if (op.method === 'GET') return attacks;
  add('body: malformed JSON', valid, '{"a": ');
  add('body: deep nesting', valid, DEEP);
  add('body: null', valid, 'null');
  add('body: array', valid, '[]');
  add('body: string', valid, '"x"');
  add('body: over the size limit', valid, JSON.stringify({ x: 'a'.repeat(300 * 1024) }));
  add('body: NUL in an unknown field', valid, '{"unknownField":"\\u0000"}');
  add('body: not JSON', valid, 'a=1&b=2', true, 'application/x-www-form-urlencoded');
  if (!op.hasBody || !validBody) return attacks;

  add('body: missing fields', valid, '{}', !(op.key in OPTIONAL_ONLY_BODIES));
  add('body: unknown field', valid, JSON.stringify({ ...JSON.parse(validBody), unknownField: 1 }));
  add('body: deep nesting inside a field', valid, validBody.replace(/^\{/, `{"nested":${DEEP},`));
  // Each field of a valid body, one at a time.
  const body = JSON.parse(validBody) as unknown;
  for (const { path, value } of leaves(body)) {
    const field = label(path);
    const set = (leaf: unknown) => JSON.stringify(withLeaf(body, path, leaf));
    const mutations: Array<[string, string, boolean]> = [
      ['wrong type (object)', set({ a: 1 }), true],
      ['wrong type (array)', set([1, 2]), true],
      ['null', set(null), true],
    ];
    if (typeof value === 'string') {
      mutations.push(
        ['wrong type (number)', set(12345), true],
        ['NUL', set(`${value}\u0000`), true],
        // JSON.stringify writes a lone surrogate as the escape \ud800, which the server's parser turns back into one.
        ['lone surrogate', set(`${value}\uD800`), true],
        ['bidi override', set(`${value}\u202e`), true],
        [`${HUGE * 20} characters`, set('a'.repeat(HUGE * 20)), true],
        ['invalid date', set('2026-02-30T25:61:00Z'), /^\d{4}-\d{2}-\d{2}T/.test(value)],
        ['year 0', set('0000-01-01T00:00:00Z'), /^\d{4}-\d{2}-\d{2}T/.test(value)],
      );
      for (const injection of INJECTIONS) mutations.push([`injection ${injection}`, set(injection), false]);
    } else if (typeof value === 'number') {
      mutations.push(
        ['huge number', set(1e300), true],
        ['number beyond 64 bits', set(1e20), true],
        ['negative', set(-1), true],
        ['fraction', set(1.5), true],
        ['wrong type (string)', set('12'), true],
      );
    } else if (typeof value === 'boolean') {
      mutations.push(['wrong type (string)', set('true'), true]);
    }
    for (const [what, text, mustRefuse] of mutations) add(`body.${field}: ${what}`, valid, text, mustRefuse);
  }
  return attacks;
}

/** Operations whose body fields are all optional: an empty body is a valid one. */
const OPTIONAL_ONLY_BODIES: Record<string, true> = {
  'POST /credentials/{credentialId}/reset': true,
  'PATCH /users/{userId}': true,
  'PATCH /companies/{companyId}': true,
  'PATCH /companies/{companyId}/resources/{resourceId}': true,
  'PATCH /authorizations/{authorizationId}': true,
  'POST /authorizations/{authorizationId}/users': true,
  'PATCH /deliveries/{deliveryId}': true,
  'POST /users/{userId}/rights/authorize-all': true,
};

/**
 * Every operation of the OpenAPI document the gateway serves receives malformed JSON, wrong
 * types, unknown and missing fields, oversized strings and bodies, deep nesting, NUL and
 * lone surrogates, injection strings, path traversal, huge and negative numbers and invalid
 * dates, from an actor allowed to call it. Every answer is problem+json with a request id,
 * none 5xx and none slower than 2 s; malformed input is refused (4xx).
 */
describe('Bad-input sweep (e2e)', () => {
  let system: RunningSystem;
  let world: World;
  let operations: Operation[];

  beforeAll(async () => {
    system = await sharedSystem();
    world = await buildWorld(system);
    operations = (await servedOperations(system.baseUrl)).filter((op) => !ACCESS[op.key]?.last);
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  async function send(attack: Attack): Promise<Result> {
    const session: ApiSession = world.session(actorFor(attack.op));
    const started = performance.now();
    const res = await session.request<{ requestId?: string }>(
      attack.op.method,
      attack.path,
      attack.body,
      attack.contentType ? { 'content-type': attack.contentType } : {},
      { timeoutMs: 30_000 },
    );
    const problem =
      /^application\/problem\+json/.test(res.headers.get('content-type') ?? '') &&
      typeof res.body === 'object' &&
      res.body?.requestId === res.headers.get('x-request-id');
    return { attack, status: res.status, ms: performance.now() - started, problem };
  }

  it('answers every attack on every operation with problem+json, never 5xx, within 2 s', async () => {
    const attacks = operations.flatMap((op) => attacksOn(op, world));
    const results: Result[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < attacks.length) results.push(await send(attacks[next++]));
      }),
    );
    // A slow answer is tried again once, alone: work that input causes is slow twice, a busy machine once.
    const slow = results.filter((r) => r.ms > SLOW_MS);
    const stillSlow: Result[] = [];
    for (const r of slow) {
      const again = await send(r.attack);
      if (again.ms > SLOW_MS) stillSlow.push(again);
    }
    const elapsed = Date.now() - started;

    const describe = (r: Result) => `${r.attack.op.key} ← ${r.attack.what}: ${r.status} in ${Math.round(r.ms)} ms`;
    const fiveHundreds = results.filter((r) => r.status >= 500);
    const accepted = results.filter((r) => r.status < 400);
    const statuses = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    process.stdout.write(
      `[bad-input sweep] ${results.length + slow.length} requests (${results.length} attacks on ${operations.length} operations, ` +
        `${slow.length} slow ones tried again), ${fiveHundreds.length} answers 5xx, ${elapsed} ms; statuses ${JSON.stringify(statuses)}; ` +
        `${accepted.length} hostile but valid values accepted\n`,
    );
    expect(fiveHundreds.map(describe)).toEqual([]);
    expect(results.filter((r) => r.status >= 400 && !r.problem).map(describe)).toEqual([]);
    expect(results.filter((r) => r.attack.mustRefuse && r.status < 400).map(describe)).toEqual([]);
    expect(stillSlow.map(describe)).toEqual([]);
    expect(elapsed).toBeLessThan(120_000);
  }, 600_000);
});
