/**
 * Node flags each service runs with, under every launcher: `npm start`, the tests'
 * TestSystem, the benchmarks and docker-compose (which repeats them in NODE_OPTIONS).
 */
const SERVICE_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  // A report build streams (users in pages, the PDF straight to storage), so its live
  // heap stays near 60 MB whatever the company size. Under Node's default cap (a quarter
  // of the machine's memory) V8 lets garbage grow the heap to several times that before
  // a full collection; a 160 MB cap makes it collect early, which keeps the process
  // well under 300 MB resident while it builds the report of 10,000 users. The young
  // generation is kept small too (semi-spaces of 4 MB instead of up to 16): a build makes
  // garbage fast and V8 would otherwise hold up to 48 MB of it resident.
  reporting: ['--max-old-space-size=160', '--max-semi-space-size=4'],
};

export function nodeFlagsFor(service: string): string[] {
  return [...(SERVICE_NODE_FLAGS[service] ?? [])];
}

/**
 * With `PROCURA_CPU_PROFILE_DIR=<dir>`, the test system and the benchmarks start each
 * service with a V8 CPU profile, written to `<dir>/<service>/` when the process exits.
 */
export function cpuProfileFlags(service: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env.PROCURA_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir.replace(/\/+$/, '')}/${service}`] : [];
}

/**
 * Environment defaults of the service processes (the caller's own values win). glibc gives
 * each thread that allocates its own malloc arena; Node's threads (V8 helpers, libuv pool,
 * zlib) then keep freed memory spread over many arenas. Two arenas cut a report build's
 * peak resident memory by about 30 MB (249 → 217 MB) at no measurable cost in time.
 * Identity is the exception: each sign-in's argon2id verify allocates 19 MiB on one of
 * libuv's four threads, and with two arenas those threads wait for each other's malloc
 * locks; the login benchmark then added 25-40 % over the bare verify instead of 12-17 %.
 */
const MALLOC_ARENAS: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
const SERVICE_PROCESS_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  gateway: MALLOC_ARENAS,
  authorizations: MALLOC_ARENAS,
  notifications: MALLOC_ARENAS,
  reporting: MALLOC_ARENAS,
  identity: {},
};

/** `env` over the defaults of `service`'s processes: what a launcher passes to spawn(). */
export function serviceProcessEnv(service: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...(SERVICE_PROCESS_ENV[service] ?? MALLOC_ARENAS), ...env };
}
