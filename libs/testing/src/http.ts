import { DEMO } from '@procura/contracts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

/** A small HTTP client for e2e tests that signs in as a given actor. */
export class ApiSession {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  static operator(baseUrl: string, apiKey: string = DEMO.operator.apiKey): ApiSession {
    return new ApiSession(baseUrl, apiKey);
  }

  static anonymous(baseUrl: string): ApiSession {
    return new ApiSession(baseUrl);
  }

  /** The raw response (downloads, JSON lines). */
  raw(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}/api/v1${path}`, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
  }

  get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  /** `timeoutMs`: give up (the promise rejects) when no answer came by then, for tests that assert nothing hangs. */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    options: { timeoutMs?: number } = {},
  ): Promise<ApiResponse<T>> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T, ms: performance.now() - started };
  }
}
