/**
 * Node flags each service runs with, under every launcher: `npm start`, the tests'
 * TestSystem, the benchmarks and docker-compose (which repeats them in NODE_OPTIONS).
 */
const SERVICE_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  // A report build streams (users in pages, the PDF straight to storage), so its live
  // heap stays near 60 MB whatever the company size. Under Node's default cap (a quarter
  // of the machine's memory) V8 lets garbage grow the heap to several times that before
  // a full collection; a 160 MB cap makes it collect early, which keeps the process
  // well under 300 MB resident while it builds the report of 10,000 users.
  reporting: ['--max-old-space-size=160'],
};

export function nodeFlagsFor(service: string): string[] {
  return [...(SERVICE_NODE_FLAGS[service] ?? [])];
}
