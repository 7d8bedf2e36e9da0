// The operations the gateway serves, as its OpenAPI document lists them, and how to call one.
import { ApiResponse, ApiSession } from '@procura/testing';
import { ActorName, World } from './world';

export interface Operation {
  /** `METHOD /path` without the /api/v1 prefix, e.g. `GET /users/{userId}`: the key of the tables. */
  key: string;
  method: string;
  /** The path template without the /api/v1 prefix. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** The schema type of each query parameter (`number`, `string`, `string:date-time`…). */
  queryTypes: Record<string, string>;
  hasBody: boolean;
  isPublic: boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: { type?: string; format?: string } }>;
        requestBody?: unknown;
        security?: unknown[];
      }
    >
  >;
}

const PREFIX = '/api/v1';

/** Every operation of the document the running gateway serves at /api/docs-json. */
export async function servedOperations(baseUrl: string): Promise<Operation[]> {
  const res = await fetch(`${baseUrl}/api/docs-json`);
  if (res.status !== 200) throw new Error(`/api/docs-json answered ${res.status}`);
  const document = (await res.json()) as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [fullPath, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const path = fullPath.startsWith(PREFIX) ? fullPath.slice(PREFIX.length) : fullPath;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        queryTypes: Object.fromEntries(
          (op.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => [p.name, [p.schema?.type ?? 'string', p.schema?.format].filter(Boolean).join(':')]),
        ),
        hasBody: op.requestBody !== undefined,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return operations;
}

/** Fills a path template, e.g. `/users/{userId}` with `{ userId: '…' }` (values are encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

/** How the security matrix calls an operation: a valid request, so that an allowed actor gets its 2xx. */
export interface CallSpec {
  /** `totp`: a fresh code of the calling user when the operation asks for one (stepUp). */
  body?: (world: World, actor: ActorName, totp: string) => unknown;
  /** The body carries a TOTP code: each call is made by a new user of the actor's role (see World.stepUpActor). */
  stepUp?: boolean;
  query?: string;
  /** Path parameters other than the world's defaults (e.g. the caller's own user id). */
  params?: (world: World, actor: ActorName) => Record<string, string>;
  /** Changes what other operations see (revokes, cancels): called after all the others. */
  last?: boolean;
  /**
   * A health endpoint: its 503 is the documented health report (which component is down,
   * for load balancers and probes), not a problem; it is checked for that shape instead.
   */
  healthReport?: boolean;
}

export async function call(
  session: ApiSession,
  op: Operation,
  pathValues: Record<string, string>,
  request: { body?: unknown; rawBody?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<{ code?: string; requestId?: string } & Record<string, unknown>>> {
  const path = `${fillPath(op.path, pathValues)}${request.query ? `?${request.query}` : ''}`;
  const body = request.rawBody ?? request.body;
  const headers = { ...(request.rawBody !== undefined ? { 'content-type': 'application/json' } : {}), ...(request.headers ?? {}) };
  return session.request(op.method, path, body, headers, { timeoutMs: 30_000 });
}
