import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Socket } from 'node:net';

/** Splits a child's output into lines, forwards them and keeps the last ones for error messages. */
export class OutputTail {
  private readonly kept: string[] = [];
  private partial = '';

  constructor(
    private readonly log?: (line: string) => void,
    private readonly keep = 40,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.add(line);
  }

  /** Also exposed for lines that do not come from a stream (e.g. IPC messages). */
  add(line: string): void {
    if (line.trim() === '') return;
    this.kept.push(line);
    if (this.kept.length > this.keep) this.kept.shift();
    this.log?.(line);
  }

  text(): string {
    const lines = this.partial ? [...this.kept, this.partial] : this.kept;
    return lines.length ? lines.join('\n') : '(no output)';
  }
}

export function findExecutable(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true when the child exited within the delay, false otherwise. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Signal, wait, then SIGKILL: a stop never hangs and never leaves the process behind. */
export async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  child.ref();
  child.kill(signal);
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 2000);
}

/**
 * A `sh` that blocks reading a pipe whose only writer is this Node process, then
 * signals `pid`. The read ends when this process exits for any reason, SIGKILL
 * included, so the service never outlives its parent. Kill the watchdog on a
 * normal stop.
 */
export function startWatchdog(pid: number, signal: 'TERM' | 'INT'): ChildProcess {
  // Deaf to Ctrl-C, which reaches it with its parent's process group: it must outlive the parent.
  const watchdog = spawn(
    '/bin/sh',
    ['-c', `trap '' INT; read _ignored; kill -${signal} "$1" 2>/dev/null`, 'procura-watchdog', String(pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

export function stopWatchdog(watchdog: ChildProcess): void {
  if (!hasExited(watchdog)) watchdog.kill('SIGKILL');
}
