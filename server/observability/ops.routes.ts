// What operators and orchestrators ask a node: /api/ready (may it take traffic: the database
// answers and its schema is this build's) and /metrics (Prometheus text). /api/health, whether
// the process is alive, stays in http/app.ts. /metrics publishes numbers across every account,
// so it is off unless KUNDE_METRICS_TOKEN is set, and then answers only that bearer token;
// /api/ready tells nothing but ready or which of the two is not, so it is open, as probes are.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { pendingMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

const readySchema = z.object({
  status: z.literal('ready'),
  database: z.literal('ok'),
  migrations: z.literal('current'),
});

/** Why the node is not ready, as a 503 problem. */
async function readinessProblem(services: Services): Promise<AppError | undefined> {
  if (!(await services.ping())) {
    return new AppError(503, 'database_unreachable', 'Not ready', 'The database does not answer');
  }
  let pending: string[];
  try {
    pending = await pendingMigrations(services.db);
  } catch {
    return new AppError(503, 'database_unreachable', 'Not ready', 'The database does not answer');
  }
  if (pending.length) {
    return new AppError(
      503,
      'migrations_pending',
      'Not ready',
      `Migrations not applied yet: ${pending.join(', ')}`,
      { pending },
    );
  }
  return undefined;
}

export function opsRoutes(services: Services, metricsToken: string | undefined): AnyRouteDef[] {
  const tokenDigest = metricsToken ? digest(metricsToken) : undefined;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/ready',
      summary: 'Readiness: the database answers and no migration is pending',
      description:
        'For load balancers and orchestrators. 503 (problem+json) names what is wrong: `database_unreachable` or `migrations_pending`. `/api/health` answers whether the process is alive.',
      tags: ['Operations'],
      auth: 'public',
      // A probe sends no credentials; a stale one must not turn "ready" into a 401.
      ownCredentials: true,
      response: { status: 200, description: 'Ready to take traffic', schema: readySchema },
      errors: [503],
      handler: async ({ reply }) => {
        const problem = await readinessProblem(services);
        if (problem) throw problem;
        void reply.header('Cache-Control', 'no-store');
        return { status: 'ready', database: 'ok', migrations: 'current' };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics',
      description:
        'Authenticated by `Authorization: Bearer <KUNDE_METRICS_TOKEN>`; answers 404 when that variable is not set. HTTP requests by route pattern, job queue depth and age, inbound email states, outbox, import rows, database pool.',
      tags: ['Operations'],
      auth: 'public',
      ownCredentials: true,
      response: {
        status: 200,
        description: 'Prometheus text exposition format 0.0.4',
        contentType: 'text/plain',
        schema: z.string(),
      },
      errors: [401, 404],
      handler: async ({ request, reply }) => {
        if (!tokenDigest) {
          throw new AppError(404, 'route_not_found', 'Not found', 'No route GET /metrics');
        }
        const sent = request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
        if (!sent || !timingSafeEqual(digest(sent), tokenDigest)) {
          void reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
          throw new AppError(
            401,
            'invalid_token',
            'Invalid token',
            'GET /metrics needs Authorization: Bearer <KUNDE_METRICS_TOKEN>',
          );
        }
        const { contentType, body } = await services.metrics.scrape();
        return reply.type(contentType).header('Cache-Control', 'no-store').send(body);
      },
    }),
  ];
}
