import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@procura/errors';

/** Set by @Public() on operations that need no authentication (see auth.guard). */
export const PUBLIC_OPERATION_EXTENSION = 'x-procura-public';

const BEARER = 'bearer';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  [extension: string]: unknown;
};

/** The problem document every error is (RFC 9457 with Procura's stable code), once in components. */
const PROBLEM_SCHEMAS = {
  FieldProblem: {
    type: 'object',
    required: ['field', 'messages'],
    properties: {
      field: { type: 'string', description: 'Path of the field, e.g. `items[2].payload.lastName`', example: 'lastName' },
      messages: { type: 'array', items: { type: 'string' }, example: ['lastName must be longer than or equal to 1 characters'] },
    },
  },
  Problem: {
    type: 'object',
    description: 'application/problem+json (RFC 9457). Non-secret extra members may be added (e.g. `retryAfter`, `companyId`).',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', example: 'urn:procura:problem:validation-failed' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'Invalid input: lastName' },
      code: { type: 'string', description: 'Stable machine-readable code', example: 'VALIDATION_FAILED' },
      instance: { type: 'string', example: '/api/v1/companies' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldProblem' } },
      retryAfter: { type: 'integer', description: 'Seconds to wait (429, 503), also sent as Retry-After' },
    },
  },
} as const;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

const PROBLEMS: Record<
  string,
  { description: string; when: (op: Operation, method: string, secured: boolean) => boolean; retry?: boolean }
> = {
  '400': { description: 'Bad input: the problem names each field (VALIDATION_FAILED)', when: () => true },
  '401': { description: 'No valid access token or operator key (UNAUTHENTICATED)', when: (_op, _m, secured) => secured },
  '403': { description: 'Not allowed for this actor (FORBIDDEN)', when: (_op, _m, secured) => secured },
  '404': { description: 'No such resource, or not one of yours (NOT_FOUND)', when: (_op, _m, secured) => secured },
  '409': { description: 'Conflicts with the current state', when: (_op, method) => method !== 'get' },
  '413': { description: 'Request body too large (PAYLOAD_TOO_LARGE)', when: (op) => op.requestBody !== undefined },
  '415': { description: 'Request body not application/json (UNSUPPORTED_MEDIA_TYPE)', when: (op) => op.requestBody !== undefined },
  '422': { description: 'Well formed but refused by a business rule', when: (_op, method) => method !== 'get' },
  '429': { description: 'Too many requests from this address (RATE_LIMITED)', when: () => true, retry: true },
  '503': { description: 'A service or Redis is unavailable (SERVICE_UNAVAILABLE)', when: () => true, retry: true },
};

/**
 * Finishes the document Nest generates, once for every operation rather than by hand on
 * each: the servers (this gateway), bearer authentication required unless the operation
 * is @Public(), and the problem+json answers each operation can give, so that a client
 * generated from the document types its errors.
 */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.info.license ??= { name: 'Proprietary' };
  document.servers = [{ url: '/', description: 'This gateway (operation paths include /api/v1)' }];
  document.security = [{ [BEARER]: [] }];
  document.components ??= {};
  document.components.schemas = { ...(document.components.schemas ?? {}), ...(PROBLEM_SCHEMAS as Record<string, object>) };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const secured = op[PUBLIC_OPERATION_EXTENSION] !== true;
      delete op[PUBLIC_OPERATION_EXTENSION];
      if (secured) delete op.security;
      else op.security = [];
      for (const [status, problem] of Object.entries(PROBLEMS)) {
        if (op.responses[status] || !problem.when(op, method, secured)) continue;
        op.responses[status] = {
          description: problem.description,
          ...(problem.retry ? { headers: RETRY_AFTER } : {}),
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return document;
}

/** The gateway's OpenAPI document, served at /api/docs (UI) and /api/docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Procura API')
      .setDescription(
        'Delegated access-rights back office. Errors are application/problem+json (RFC 9457) with a stable `code`; ' +
          'every request gets an `X-Request-Id`; POST honours `Idempotency-Key`.',
      )
      .setVersion('1')
      .addBearerAuth(undefined, BEARER)
      .build(),
  );
  return finishOpenApiDocument(document);
}
