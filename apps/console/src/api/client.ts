import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../session/session-store';
import { stepUpPrompt } from '../session/step-up';
import { ApiError, problemOf } from './errors';
import type { paths } from './schema';

/**
 * The typed client of the API, generated from the gateway's OpenAPI document at build time
 * (tools/build-console.js): a path, parameter or body the API no longer accepts fails the build.
 */
export const api = createClient<paths>({ baseUrl: '' });

/** A copy of each change sent, to send it again once the session is stepped up (fetch consumes the body). */
const resendable = new WeakMap<Request, Request>();

async function needsStepUp(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { code?: string } | undefined;
  return body?.code === 'STEP_UP_REQUIRED';
}

const authentication: Middleware = {
  async onRequest({ request }) {
    if (request.method !== 'GET' && !request.url.includes('/api/v1/auth/')) resendable.set(request, request.clone());
    if (request.url.includes('/api/v1/auth/login') || request.url.includes('/api/v1/auth/refresh')) return request;
    // A call that brings its own token (the second step of signing in) keeps it.
    if (request.headers.has('Authorization')) return request;
    const token = await sessionStore.freshAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    // The session ended on the server (revoked, expired, password changed elsewhere): ask to sign in again.
    if (response.status === 401 && request.headers.has('Authorization')) sessionStore.markExpired();
    // Rule 1: the policy asks the maker's strong authentication for this change. Ask for the code
    // over the page and send the same change again with the stepped-up token; cancelled, the
    // page shows the refusal and keeps what was typed.
    const copy = resendable.get(request);
    let answer = response;
    while (copy && (await needsStepUp(answer))) {
      if (!(await stepUpPrompt.ask())) return answer;
      const token = await sessionStore.freshAccessToken();
      const again = copy.clone();
      if (token) again.headers.set('Authorization', `Bearer ${token}`);
      answer = await fetch(again);
    }
    return answer;
  },
};
api.use(authentication);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call, or an ApiError carrying the problem+json (and its request id). */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    throw new ApiError({ status: 0, title: 'Network error', detail: error instanceof Error ? error.message : String(error) });
  }
  if (result.error !== undefined || !result.response.ok) throw await problemOf(result.response, result.error);
  return result.data as T;
}

/** Downloads a file the API serves behind authentication (report PDF, audit export) and saves it. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const token = await sessionStore.freshAccessToken();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body = await response.json().catch(() => undefined);
    throw await problemOf(response, body);
  }
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
