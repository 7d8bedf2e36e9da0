import { AppConfig } from '@procura/config';

/**
 * Named crash points for the fault tests: with FAULT_INJECTION=<point> (accepted only
 * when NODE_ENV=test, see AppConfig) the process dies at that point the first time it
 * gets there, exactly as a power cut would. Production code calls `reach()`, which
 * does nothing otherwise.
 */
export class FaultPoints {
  constructor(private readonly config: AppConfig) {}

  reach(point: string): void {
    if (this.config.faultInjection === point) {
      process.stderr.write(`fault injection: crashing at ${point}\n`);
      process.kill(process.pid, 'SIGKILL');
      // Nothing after this point may run: block until the signal lands.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
    }
  }
}
