/** The OpenAPI 3.1 document, built from the declared operations and the same zod schemas that validate requests. */
import { z } from 'zod';
import type { AnyOperation } from './routing';
import { problemResponse } from '../app/schemas';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

const COMMON_ERRORS: Record<number, string> = {
  400: 'malformed request (for instance a body that is not JSON)',
  401: 'not signed in, or the credential is unknown, expired or revoked',
  403: 'signed in, but not allowed to do this (or a cookie-authenticated change without its CSRF token)',
  404: 'no such resource',
  405: 'the path exists, but not with this method; Allow lists the methods it takes',
  409: 'the act was refused by the workflow; `code` names the reason',
  410: 'the link has expired or was already used',
  413: 'the body is too large',
  415: 'the body is neither JSON nor (outside /api) an HTML form',
  422: 'invalid fields; `errors` names each one',
  429: 'too many requests; see Retry-After',
  503: 'Temporal, MongoDB or the mail server cannot be reached; see Retry-After',
};

function parameters(op: AnyOperation): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query', schema: z.ZodType | undefined) => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema: s,
        ...(s.description ? { description: s.description } : {}),
      });
    }
  };
  add('path', op.params);
  add('query', op.query);
  if (op.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Becomes the Temporal update id: a retried request with the same key returns the first result and changes nothing.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
    });
  }
  return out;
}

export function buildOpenApi(operations: AnyOperation[], info: { version: string; serverUrl: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = String(op.status ?? (op.success.schema || op.success.contentType ? 200 : 204));
    const text = (types: string[]) => Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' } }]));
    const successContent = op.success.schema
      ? {
          content: {
            [op.success.contentType ?? 'application/json']: { schema: jsonSchema(op.success.schema, 'output') },
            ...text(op.success.also ?? []),
          },
        }
      : op.success.contentType
        ? { content: text([op.success.contentType, ...(op.success.also ?? [])]) }
        : {};
    const unsafe = op.method !== 'get';
    const errors = new Set<number>([...(op.body || op.query || op.params ? [422] : []), ...(op.errors ?? []), 503]);
    // Any unsafe request may carry a body (declared or not), which is parsed before the route: malformed JSON,
    // too large, or of another type; and a browser's cross-site change is refused before anything else (403).
    if (op.body || unsafe) errors.add(400).add(413).add(415);
    if (unsafe) errors.add(403);
    // A bad, expired or revoked credential is a 401 wherever it is read, on public operations too.
    if (op.auth === 'signed-in' || op.readsCredentials) errors.add(401);
    if (op.auth === 'signed-in') errors.add(403);
    for (const code of op.success.alsoStatuses ?? []) errors.delete(code);
    const responses: Json = { [status]: { description: op.success.description, ...successContent } };
    if (op.createsOr200) {
      responses['200'] = { description: op.success.description, ...successContent };
      responses['201'] = { description: `created: ${op.success.description}`, ...successContent };
    }
    for (const code of op.success.alsoStatuses ?? [])
      responses[String(code)] = { description: op.success.description, ...successContent };
    for (const code of [...errors].sort()) responses[String(code)] = { $ref: `#/components/responses/Problem${code}` };
    const body = op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: jsonSchema(op.body, 'input') },
              ...(op.formBody ? { 'application/x-www-form-urlencoded': { schema: jsonSchema(op.body, 'input') } } : {}),
            },
          },
        }
      : {};
    (paths[path] ??= {})[op.method] = {
      operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: op.summary,
      description:
        [op.description, op.access ? `**Who may:** ${op.access}.` : undefined].filter(Boolean).join('\n\n') ||
        undefined,
      tags: [op.tag],
      parameters: parameters(op),
      ...body,
      responses,
      security:
        op.auth === 'signed-in'
          ? [{ bearerAuth: [] }, unsafe ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }]
          : [],
    };
  }
  const problemSchema = jsonSchema(problemResponse, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Summit Follow-up API',
      version: info.version,
      description:
        'Follow-up of summit initiatives: one durable workflow per initiative, from assignment through national sign-offs to completion. ' +
        'Sign in by email (POST /api/auth/magic-links) or send an API token as `Authorization: Bearer <token>`. ' +
        'Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (POST /api/tokens, or printed by npm start).',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sfu_session',
          description: 'The session cookie set at sign-in (named __Host-sfu_session over https).',
        },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description:
            "The session's CSRF token (GET /api/me), required on unsafe requests authenticated by the cookie.",
        },
      },
      schemas: { Problem: problemSchema },
      responses: Object.fromEntries(
        Object.entries(COMMON_ERRORS).map(([code, description]) => [
          `Problem${code}`,
          {
            description,
            content: {
              'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
              // A browser (Accept: text/html first) gets the same problem as a page.
              'text/html': { schema: { type: 'string' } },
            },
          },
        ]),
      ),
    },
  };
}
