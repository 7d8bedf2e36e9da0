import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What follows a request from the gateway through RPC messages and jobs into every log line. */
export interface RequestContext {
  requestId: string;
  /** A short, non-secret description of who acts, e.g. `operator:<id>`. */
  actor?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};

/** Accepts a caller's request id only when it is short and harmless; otherwise makes one. */
export function acceptOrCreateRequestId(candidate: unknown): string {
  if (typeof candidate === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(candidate)) return candidate;
  return randomUUID();
}
