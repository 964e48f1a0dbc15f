// How every error leaves the HTTP edge: as problem+json whose `status` and `code` always agree.
// Typed errors carry their own; Fastify's and its plugins' client errors get a stable code from
// their error code or, failing that, from their status; a malformed upload is the client's fault
// (400), not ours; anything else is a 500 with a correlation id, logged and never shown.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isUniqueViolation } from '../errors.ts';

interface ProblemInput {
  status: number;
  code: string;
  title: string;
  detail?: string;
  type?: string;
  [extra: string]: unknown;
}

export function sendProblem(reply: FastifyReply, problem: ProblemInput) {
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send({ type: problem.type ?? `urn:kunde:problem:${problem.code}`, ...problem });
}

interface KnownError {
  /** When the plugin's own status is wrong for what happened (406 for a wrong content type). */
  status?: number;
  code: string;
  title: string;
}

const MALFORMED_MULTIPART: KnownError = {
  status: 400,
  code: 'malformed_multipart',
  title: 'The multipart/form-data body is malformed',
};

// Fastify's and @fastify/multipart's client errors, with the stable codes Kunde answers them with.
const FASTIFY_CODES: Record<string, KnownError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', title: 'Body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    title: 'Send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', title: 'Wrong Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'empty_body', title: 'The body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', title: 'The body is not valid JSON' },
  FST_REQ_FILE_TOO_LARGE: { code: 'file_too_large', title: 'File too large' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Send multipart/form-data',
  },
  FST_PARTS_LIMIT: { code: 'too_many_parts', title: 'Too many parts in the form' },
  FST_FILES_LIMIT: { code: 'too_many_files', title: 'Send one file' },
  FST_FIELDS_LIMIT: { code: 'too_many_fields', title: 'Too many fields in the form' },
  FST_PROTO_VIOLATION: MALFORMED_MULTIPART,
  FST_INVALID_JSON_FIELD_ERROR: MALFORMED_MULTIPART,
  FST_MP_PREMATURE_CLOSE: MALFORMED_MULTIPART,
};

// For client errors nobody gave a code: the code follows the status, so the two never disagree.
const STATUS_CODES: Record<number, { code: string; title: string }> = {
  400: { code: 'bad_request', title: 'Bad request' },
  401: { code: 'unauthenticated', title: 'Not logged in' },
  403: { code: 'forbidden', title: 'Forbidden' },
  404: { code: 'not_found', title: 'Not found' },
  405: { code: 'method_not_allowed', title: 'Method not allowed' },
  406: { code: 'not_acceptable', title: 'Not acceptable' },
  408: { code: 'request_timeout', title: 'Request timeout' },
  409: { code: 'conflict', title: 'Conflict' },
  411: { code: 'length_required', title: 'Length required' },
  413: { code: 'body_too_large', title: 'Body too large' },
  414: { code: 'uri_too_long', title: 'URI too long' },
  415: { code: 'unsupported_media_type', title: 'Unsupported media type' },
  416: { code: 'range_not_satisfiable', title: 'Range not satisfiable' },
  429: { code: 'too_many_requests', title: 'Too many requests' },
  431: { code: 'headers_too_large', title: 'Request headers too large' },
};

// busboy (under @fastify/multipart) throws plain Errors, without a status, for a body that is
// not the multipart it claims to be: no boundary, a boundary too long, a body cut short.
const BUSBOY_MESSAGE =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|Malformed part header|The needle cannot)/;

function isMalformedMultipart(error: FastifyError, request: FastifyRequest): boolean {
  return (
    error.statusCode === undefined &&
    typeof error.message === 'string' &&
    BUSBOY_MESSAGE.test(error.message) &&
    request.isMultipart()
  );
}

function multipartDetail(message: string): string {
  if (/boundary/i.test(message)) return 'The Content-Type has no usable boundary= parameter';
  return 'The body ends before the multipart data does (was the upload cut short?)';
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.status === 429 && typeof error.extra.retryAfterSeconds === 'number') {
      void reply.header('Retry-After', String(error.extra.retryAfterSeconds));
    }
    return sendProblem(reply, {
      status: error.status,
      code: error.code,
      title: error.title,
      detail: error.message,
      ...error.extra,
    });
  }
  if (isUniqueViolation(error)) {
    // Which key, for whoever reads the log: the answer names none (it would name the schema).
    request.log.warn(
      { constraint: (error as { constraint?: string }).constraint, err: error },
      'unique violation answered 409',
    );
    return sendProblem(reply, {
      status: 409,
      code: 'conflict',
      title: 'Conflict',
      detail: 'That already exists',
    });
  }
  if (isMalformedMultipart(error, request)) {
    return sendProblem(reply, {
      status: 400,
      code: MALFORMED_MULTIPART.code,
      title: MALFORMED_MULTIPART.title,
      detail: multipartDetail(error.message),
    });
  }
  const known =
    FASTIFY_CODES[error.code] ??
    (error instanceof SyntaxError && error.statusCode === 400
      ? FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY
      : undefined);
  const statusCode = known?.status ?? error.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    const byStatus = STATUS_CODES[statusCode] ?? { code: 'client_error', title: 'Client error' };
    return sendProblem(reply, {
      status: statusCode,
      code: known?.code ?? byStatus.code,
      title: known?.title ?? byStatus.title,
      detail: error.message,
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, {
    status: 500,
    code: 'internal_error',
    title: 'Something went wrong',
    detail: `Something went wrong on our side; quote ${request.id} when you report it`,
    correlationId: request.id,
  });
}

/**
 * Requests Node cannot even parse (a control character in a header, headers over 16 KB, a
 * timeout) never reach Fastify's handlers; this answers them on the socket, as problem+json too.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'Request timeout', 'The request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'Request headers too large', 'The headers exceed 16 KB']
        : [400, 'bad_request', 'Bad request', 'The HTTP request could not be read'];
  const body = JSON.stringify({ type: `urn:kunde:problem:${code}`, status, code, title, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
