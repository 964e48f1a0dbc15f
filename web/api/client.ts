// A small typed fetch client for the Kunde API: JSON in and out, the session cookie, and
// problem+json errors turned into ApiError so pages can show the server's own reasons.
import type { FieldError } from '../../common/problem.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Every other member of the problem document, e.g. `existingCustomerId` on a 409. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail || code);
    this.name = 'ApiError';
  }

  /** The messages the server gave for one field (`email`, `customAttributes.tier`, ...). */
  fieldMessages(field: string): string[] {
    return this.fieldErrorsOf(field).map((e) => e.message);
  }

  /** The errors for one field, with their codes, for translating (localizeFieldError). */
  fieldErrorsOf(field: string): FieldError[] {
    return this.errors.filter((e) => e.field === field);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  if (typeof body === 'object' && body !== null) {
    const { code, detail, title, errors, ...rest } = body as Record<string, unknown>;
    const fieldErrors = Array.isArray(errors)
      ? errors.filter(
          (e): e is FieldError =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as FieldError).field === 'string' &&
            typeof (e as FieldError).message === 'string',
        )
      : [];
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : `http_${response.status}`,
      typeof detail === 'string' ? detail : typeof title === 'string' ? title : '',
      fieldErrors,
      rest,
    );
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText);
}

export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json, application/problem+json',
        // The server refuses cookie-authenticated mutations without a JSON content type (CSRF).
        ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  get: <T>(path: string) => apiRequest<T>('GET', path),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, body),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, body),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, body),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};
