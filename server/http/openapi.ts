// Builds the OpenAPI 3.1 document from the same zod schemas that validate the requests.
import { z } from 'zod';
import { problemSchema } from '../../common/problem.ts';
import type { AnyRouteDef } from './route.ts';

type JsonObject = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not logged in',
  403: 'Missing permission',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Validation failed; `errors` names each field',
  429: 'Too many requests',
};

export function buildOpenApi(routes: AnyRouteDef[], version: string): JsonObject {
  const components: Record<string, unknown> = {};

  /** Converts a schema, moving its named parts into components and pointing refs there. */
  function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as JsonObject;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, unknown>;
    delete json.$defs;
    const rewrite = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'),
      ) as unknown;
    for (const [name, def] of Object.entries(defs)) components[name] ??= rewrite(def);
    return rewrite(json) as JsonObject;
  }

  function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
    if (!schema) return [];
    const json = toSchema(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((json.required ?? []) as string[]);
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (required.has(name) && property.default === undefined),
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      schema: property,
    }));
  }

  components.Problem = toSchema(problemSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: JsonObject = {
      [route.response.status]: {
        description: route.response.description,
        ...(route.response.schema
          ? {
              content: {
                [route.response.contentType ?? 'application/json']: {
                  schema: toSchema(route.response.schema, 'output'),
                },
              },
            }
          : {}),
      },
    };
    const errorStatuses = new Set(route.errors ?? []);
    if (route.body || route.query || route.params) errorStatuses.add(422);
    if (route.auth !== 'public') errorStatuses.add(401);
    if (route.auth !== 'public' && route.auth !== 'authenticated' && route.auth !== 'hub')
      errorStatuses.add(403);
    for (const status of [...errorStatuses].sort()) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.auth === 'public' ? { security: [] } : {}),
      ...(route.auth === 'hub' ? { security: [{ hubSession: [] }] } : {}),
      ...(route.auth !== 'public' && route.auth !== 'authenticated' && route.auth !== 'hub'
        ? { 'x-permission': route.auth }
        : {}),
      parameters: [
        ...parametersOf(route.params, 'path'),
        ...parametersOf(route.query, 'query'),
        ...(route.headers ?? []).map((h) => ({
          name: h.name,
          in: 'header',
          required: false,
          description: h.description,
          schema: { type: 'string' },
        })),
      ],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: toSchema(route.body, 'input') },
                // The same fields as form fields, and files in parts of their own.
                ...(route.multipart
                  ? {
                      'multipart/form-data': {
                        schema: multipartSchema(toSchema(route.body, 'input')),
                      },
                    }
                  : {}),
              },
            },
          }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Kunde API',
      version,
      description:
        'The customer side of a helpdesk. Authenticate with `Authorization: Bearer <token>` ' +
        '(create one with `kunde token create --email E`) or the console session cookie. ' +
        'Errors are `application/problem+json` with a stable `code`. Lists answer ' +
        '`{ items, total, nextCursor }`; pass `nextCursor` back as `cursor` for the next page.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'kunde_session' },
        hubSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'kunde_hub',
          description: 'A customer signed in to the Customer Hub (/api/hub/v1 only)',
        },
      },
    },
  };
}

/** A multipart form of a JSON body's fields, with files (any number of `files` parts). */
function multipartSchema(fields: JsonObject): JsonObject {
  return {
    allOf: [fields],
    properties: {
      files: {
        type: 'array',
        items: { type: 'string', contentMediaType: 'application/octet-stream' },
        description: 'Attachments, one part each',
      },
    },
  };
}
