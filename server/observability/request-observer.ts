// Every HTTP request's id and numbers. The id is the caller's X-Request-Id when it is a sane one
// (a proxy or a client tying its logs to ours), else a new UUID; it is echoed back in the
// response header, tags every log line of the request and is the correlation id of a 500. Each
// answered request is counted under its route pattern, so the metric's label sets stay as few
// as the routes however many customers there are.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Printable, no spaces, short: what goes into a log line and a header as it came. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._~:+/=@-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-Id if sane, else a fresh UUID. */
export function requestId(request: IncomingMessage): string {
  const sent = request.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Label of a request no route matched (404s): one label, whatever path was asked for. */
export const UNMATCHED_ROUTE = 'unmatched';

export function observeRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The not-found handler has no route pattern: never label it with the path asked for.
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}
