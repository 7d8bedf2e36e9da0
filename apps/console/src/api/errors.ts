/** An answer of the API that is not a success: its problem+json document (RFC 9457) when there is one. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: Array<{ field: string; messages: string[] }>;
}

/**
 * Problems whose code says which field is wrong although the API names none: the page puts
 * them next to that field (e.g. a duplicate e-mail) instead of at the top of the form.
 */
const FIELD_OF_CODE: Record<string, string> = {
  EMAIL_ALREADY_USED: 'email',
  GENERIC_EMAIL_REFUSED: 'email',
  CURRENT_PASSWORD_INCORRECT: 'currentPassword',
  TOTP_CODE_INVALID: 'code',
  STEP_UP_FAILED: 'totpCode',
  EDI_CODE_INVALID: 'code',
};

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  get requestId(): string | undefined {
    return this.problem.requestId;
  }

  /**
   * Messages per field (`items[0].payload.email` is also reported as `email`). `knownText` is the
   * reader's-language text of the problem's code, when the page has one: it replaces the API's
   * own (English) words under the field.
   */
  fieldErrors(knownText?: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (field: string, given: string[]) => {
      const messages = knownText ? [knownText] : given;
      out[field] = [...new Set([...(out[field] ?? []), ...messages])];
      const last = field.split('.').pop();
      if (last && last !== field) out[last] = [...new Set([...(out[last] ?? []), ...messages])];
    };
    for (const { field, messages } of this.problem.errors ?? []) add(field, messages);
    const implied = this.problem.code ? FIELD_OF_CODE[this.problem.code] : undefined;
    if (implied && !out[implied]) add(implied, [this.message]);
    return out;
  }

  /** True when nothing in the problem says what the user could fix: show the request id. */
  get unexpected(): boolean {
    return this.status >= 500 || this.status === 0;
  }
}

/** Turns what a call threw into an ApiError (a network failure becomes status 0). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ status: 0, title: 'Network error', detail: error instanceof Error ? error.message : String(error) });
}

export async function problemOf(response: Response, body: unknown): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (body && typeof body === 'object' && 'status' in body) return new ApiError({ requestId, ...(body as Problem) });
  return new ApiError({ status: response.status, title: response.statusText, requestId });
}
