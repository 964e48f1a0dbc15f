// The HTTP edge: one Fastify app serving the API, its OpenAPI document and docs, and the web
// console. Every request is authenticated here; every error leaves as problem+json.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { agentRoutes, SESSION_COOKIE } from '../agents/agent.routes.ts';
import { HUB_SESSION_COOKIE, hubPrincipalFromCookie } from '../hub/hub-principal.ts';
import { customerHubRoutes } from '../hub/customer-hub.routes.ts';
import { hubAuthRoutes } from '../hub/hub-auth.routes.ts';
import { hubTicketRoutes } from '../hub/hub-ticket.routes.ts';
import { customerMergeRoutes } from '../merge/customer-merge.routes.ts';
import { organizationMergeRoutes } from '../merge/organization-merge.routes.ts';
import { duplicateRoutes } from '../duplicates/duplicate.routes.ts';
import { webhookRoutes } from '../webhooks/webhook.routes.ts';
import { ownPasswordRoutes } from '../agents/own-password.routes.ts';
import { agentAdminRoutes } from '../agents/agent-admin.routes.ts';
import { roleRoutes } from '../agents/role.routes.ts';
import { platformRoutes } from '../accounts/platform.routes.ts';
import { settingsRoutes } from '../accounts/settings.routes.ts';
import { customerRoutes } from '../customers/customer.routes.ts';
import { customerBulkRoutes } from '../customers/customer-bulk.routes.ts';
import { erasureRoutes } from '../erasure/erasure.routes.ts';
import { customFieldRoutes } from '../custom-fields/custom-field.routes.ts';
import { customerTypeRoutes } from '../customer-types/customer-type.routes.ts';
import { organizationRoutes } from '../organizations/organization.routes.ts';
import { routingRuleRoutes } from '../organizations/routing-rule.routes.ts';
import { contactRoutes } from '../organizations/contact.routes.ts';
import { locationRoutes } from '../locations/location.routes.ts';
import { exportRoutes } from '../exports/export.routes.ts';
import { importRoutes } from '../imports/import.routes.ts';
import { ticketRoutes } from '../tickets/ticket.routes.ts';
import { contractRoutes } from '../contracts/contract.routes.ts';
import { timeEntryRoutes } from '../contracts/time-entry.routes.ts';
import { notificationGroupRoutes } from '../notification-groups/notification-group.routes.ts';
import { teamRoutes } from '../teams/team.routes.ts';
import { outboxRoutes } from '../mail/outbox.routes.ts';
import { inboundRoutes } from '../intake/inbound.routes.ts';
import { smsRoutes } from '../intake/sms.routes.ts';
import { opsRoutes } from '../observability/ops.routes.ts';
import { observeRequests, requestId } from '../observability/request-observer.ts';
import fastifyMultipart from '@fastify/multipart';
import type { Services } from '../services.ts';
import { AppError } from '../errors.ts';
import { handleClientError, handleError, sendProblem } from './problems.ts';
import { buildOpenApi } from './openapi.ts';
import { KUNDE_VERSION } from '../version.ts';
import { registerRoutes, type AnyRouteDef } from './route.ts';

export interface AppOptions {
  services: Services;
  /** Built console (vite build output); served when present. */
  webRoot?: string;
  logLevel?: string;
  version?: string;
  /** TRUST_PROXY (config.ts): client IPs from X-Forwarded-For. */
  trustProxy?: boolean;
  /** KUNDE_METRICS_TOKEN: turns /metrics on behind this bearer token. */
  metricsToken?: string;
}

const BODY_LIMIT = 1024 * 1024;

function isHubApiUrl(url: string): boolean {
  return url.startsWith('/api/hub/');
}

/** The Customer Hub's pages (/hub, /hub/<slug>/...), answered by its own index.html. */
function isHubPageUrl(url: string): boolean {
  return /^\/hub(\/|\?|$)/.test(url);
}

function isApiUrl(url: string): boolean {
  return /^\/api(\/|\?|$)/.test(url);
}

/**
 * A bundle file the build does not hold (a page chunk of a console build since replaced): a 404,
 * never the console's HTML, which the browser would refuse as a script with a MIME error instead
 * of the console noticing that its page could not be fetched.
 */
function isAssetUrl(url: string): boolean {
  return /^\/assets\//.test(url);
}

/** The host of an Origin header, or undefined when it is "null" or not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}

export function apiRoutes(services: Services, metricsToken?: string): AnyRouteDef[] {
  return [
    ...agentRoutes(services.agents),
    ...agentAdminRoutes(services.agentAdmin, services.passwordLinks),
    ...ownPasswordRoutes(services.ownPassword),
    ...roleRoutes(services.roles),
    ...customerRoutes(services.customers),
    ...customerBulkRoutes(services.customerBulk),
    ...erasureRoutes(services.erasure),
    ...settingsRoutes(services.settings),
    ...organizationRoutes(services.organizations),
    ...routingRuleRoutes(services.routingRules),
    ...contactRoutes(services.contacts),
    ...locationRoutes(services.locations),
    ...customFieldRoutes(services.customFields, services.settings),
    ...customerTypeRoutes(services.customerTypes),
    ...importRoutes(services),
    ...exportRoutes(services.exports),
    ...ticketRoutes(services),
    ...contractRoutes(services.contracts, services.contractReports),
    ...timeEntryRoutes(services.timeEntries),
    ...notificationGroupRoutes(services.notificationGroups),
    ...teamRoutes(services.teams),
    ...outboxRoutes(services.outbox),
    ...inboundRoutes(services),
    ...smsRoutes(services),
    ...platformRoutes(services.accounts),
    ...opsRoutes(services, metricsToken),
    ...customerHubRoutes(services),
    ...hubAuthRoutes(services),
    ...hubTicketRoutes(services),
    ...customerMergeRoutes(services),
    ...organizationMergeRoutes(services),
    ...duplicateRoutes(services),
    ...webhookRoutes(services),
  ];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    logger: { level: options.logLevel ?? 'info' },
    // One line per request only when asked for (LOG_LEVEL=debug); errors are always logged.
    logController: new LogController({
      disableRequestLogging: !['debug', 'trace'].includes(options.logLevel ?? 'info'),
    }),
    // JSON lines (pino), each request's tagged with its id (reqId).
    genReqId: requestId,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router raises before any route (a path with a broken %-escape) leave as
    // problem+json like every other error.
    clientErrorHandler: handleClientError,
    frameworkErrors: (error, request, reply) => {
      void handleError(error, request, reply);
    },
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: services.imports.maxFileBytes, files: 1, fields: 20 },
  });
  app.addContentTypeParser(
    'message/rfc822',
    { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 },
    (_request, body, done) => {
      done(null, body);
    },
  );
  // Raw CSV uploads stream straight to the file store (the multipart route reads its own limit).
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { bodyLimit: services.imports.maxFileBytes },
    (_request, payload, done) => {
      done(null, payload);
    },
  );

  app.addHook('onSend', async (_request, reply) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'same-origin');
    void reply.header('X-Frame-Options', 'DENY');
  });

  // Authentication: a bearer token, else the session cookie. Cookie-authenticated writes must
  // come from our own origin (SameSite=Lax plus this check stops cross-site requests).
  app.addHook('onRequest', async (request) => {
    // Routes with credentials of their own (webhook secrets) check them themselves.
    if (!request.url.startsWith('/api/') || request.routeOptions.config.ownCredentials) return;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ') && !isHubApiUrl(request.url)) {
      request.principal = await services.agents.principalFromToken(authorization.slice(7).trim());
      if (!request.principal) {
        throw new AppError(
          401,
          'invalid_token',
          'Invalid token',
          'The API token is unknown or revoked',
        );
      }
      return;
    }
    // The Customer Hub's API takes only the Hub's cookie, every other route only the agent's.
    const hubRoute = isHubApiUrl(request.url);
    const cookie = request.cookies[hubRoute ? HUB_SESSION_COOKIE : SESSION_COOKIE];
    if (!cookie) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const origin = request.headers.origin;
      // "null" (a sandboxed page, a file://, a redirect) and anything unparsable is no origin of ours.
      if (origin !== undefined && originHost(origin) !== request.headers.host) {
        throw new AppError(
          403,
          'cross_origin',
          'Cross-origin request refused',
          `Origin ${origin} is not this site`,
        );
      }
    }
    if (hubRoute) request.hubPrincipal = await hubPrincipalFromCookie(services.db.kysely, cookie);
    else request.principal = await services.agents.principalFromSessionCookie(cookie);
  });

  app.setErrorHandler(handleError);
  observeRequests(app, services.metrics);

  const routes = apiRoutes(services, options.metricsToken);
  registerRoutes(app, routes);

  app.get('/api/health', async (_request, reply) => {
    const database = await services.ping();
    return reply
      .status(database ? 200 : 503)
      .send({ status: database ? 'ok' : 'degraded', database: database ? 'ok' : 'unreachable' });
  });

  let openapi: Record<string, unknown> | undefined;
  app.get('/api/openapi.json', (_request, reply) =>
    reply.send((openapi ??= buildOpenApi(routes, options.version ?? KUNDE_VERSION))),
  );
  await registerDocs(app);

  if (options.webRoot && fs.existsSync(path.join(options.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: options.webRoot,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      // The build writes .br and .gz beside each file (scripts/build.mjs precompress).
      preCompressed: true,
      // Our own Cache-Control below; no ETag revalidation for files whose names change with
      // their content.
      cacheControl: false,
      setHeaders: (response, file) => {
        response.header(
          'Cache-Control',
          isHashedAsset(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  // Unknown API paths (an empty segment: /api/v1//customer-types) are API 404s, never looked up
  // as console files (the static wildcard would answer them 403 or 400 in HTML).
  app.all('/api/*', (_request, reply) => reply.callNotFound());
  const indexHtml = options.webRoot ? path.join(options.webRoot, 'index.html') : undefined;
  const hubIndexHtml = options.webRoot
    ? path.join(options.webRoot, 'hub', 'index.html')
    : undefined;

  app.setNotFoundHandler(async (request, reply) => {
    // /hub and everything under it is the Customer Hub's application, never the console's: a
    // customer must not land on the agents' login page.
    const page = isHubPageUrl(request.url) ? hubIndexHtml : indexHtml;
    if (
      request.method === 'GET' &&
      !isApiUrl(request.url) &&
      !isAssetUrl(request.url) &&
      page &&
      fs.existsSync(page)
    ) {
      return reply
        .type('text/html')
        .header('Cache-Control', 'no-cache')
        .send(fs.createReadStream(page));
    }
    return sendProblem(reply, {
      status: 404,
      code: 'route_not_found',
      title: 'Not found',
      detail: `No route ${request.method} ${request.url.split('?')[0]}`,
    });
  });

  return app;
}

/**
 * Vite names the bundles it writes to assets/ by their content (index-B3k9xZ1q.js), so a
 * browser may keep them for a year; everything else (index.html) is checked on every load.
 */
function isHashedAsset(file: string): boolean {
  return /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.br|\.gz)?$/.test(file);
}

/** /api/docs: Swagger UI from the swagger-ui-dist package, reading /api/openapi.json. */
async function registerDocs(app: FastifyInstance) {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  await app.register(fastifyStatic, { root, prefix: '/api/docs/assets/', decorateReply: false });
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kunde API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });`;
  app.get('/api/docs', (_request, reply) => reply.type('text/html').send(page));
  app.get('/api/docs/init.js', (_request, reply) =>
    reply.type('application/javascript').send(init),
  );
}
