/**
 * Declared routes: each operation names its schemas, who may call it and what it answers, and is both
 * mounted on express (parsing before the handler runs) and listed in the OpenAPI document.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { match } from 'path-to-regexp';
import type { z } from 'zod';
import type { Actor } from '../domain/types';
import { requireActor } from './auth';
import { parse } from './validate';
import { problems } from './problem';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  /** Other media types the same answer comes in (text, e.g. text/csv). */
  also?: string[];
  /** Other statuses answered with the same body (e.g. /readyz's 503 "not ready"), instead of a problem. */
  alsoStatuses?: number[];
}

type Schema = z.ZodType | undefined;
type Out<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface Operation<B extends Schema, Q extends Schema, P extends Schema> {
  method: Method;
  /** Express syntax, e.g. /api/initiatives/:id. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** "public", or "signed-in" (a bearer token or a session cookie with its CSRF token). */
  auth: 'public' | 'signed-in';
  /** Who may, in words, for the docs (e.g. "the Secretariat"). */
  access?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The body may come from an HTML form as well as JSON. */
  formBody?: boolean;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  /** Success status; default 200. */
  status?: number;
  /** A create-or-replace (or create-or-return): 201 when it created the resource, 200 otherwise, with the same answer. */
  createsOr200?: boolean;
  success: ResponseSpec;
  /** Error statuses this operation may answer beyond the common ones. */
  errors?: number[];
  /** Run after authentication, before parsing (rate limits). */
  before?: RequestHandler[];
  /**
   * Set by the registry: the operation is mounted after the authentication middleware, which answers 401 to
   * a bad or revoked credential on any operation, public ones too.
   */
  readsCredentials?: boolean;
}

export interface Context<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  /** The signed-in person; set for every "signed-in" operation. */
  actor: Actor;
}

export type AnyOperation = Operation<Schema, Schema, Schema>;

/** The operations of one app, in the order they were declared; the OpenAPI document is built from it. */
/**
 * The JSON body an operation declares must be sent, even when each of its fields is optional: an empty PUT
 * would otherwise replace what is stored with nothing, for a client that forgot the body rather than chose
 * `{}`. A form may come empty (a mail client's one-click unsubscribe): it is read as no fields.
 */
function sentBody(req: Request, op: { formBody?: boolean }): unknown {
  if (req.body !== undefined || op.formBody) return req.body;
  throw problems.badRequest('send the request body as JSON (`{}` if every field is left out)');
}

export class OperationRegistry {
  readonly operations: AnyOperation[] = [];
  /** Each declared path, matched as express matches it (whatever the case), with its methods. */
  private readonly paths = new Map<string, { matches: (path: string) => boolean; methods: Set<string> }>();
  /** Whether the operations defined from now on come after the authentication middleware. */
  private credentialsRead = false;

  /** Called where the app mounts its authentication middleware: every operation defined after it may answer 401. */
  authenticatedFromHere(): void {
    this.credentialsRead = true;
  }

  /**
   * The methods declared on the path a request names (GET also answers HEAD); empty when none is, so that a
   * wrong method on a known path is a 405 with Allow rather than a 404.
   */
  allowedMethods(path: string): string[] {
    const methods = [...this.paths.values()].filter((p) => p.matches(path)).flatMap((p) => [...p.methods]);
    const upper = [...new Set(methods.map((m) => m.toUpperCase()))];
    return upper.includes('GET') ? [...upper, 'HEAD'].sort() : upper.sort();
  }

  /** A definer for operations on a router mounted at prefix ("" for the app itself). */
  on(router: Router, prefix = '') {
    return {
      define: <B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
        op: Operation<B, Q, P>,
        handler: (ctx: Context<Out<B>, Out<Q>, Out<P>>) => Promise<unknown> | unknown,
      ) => this.define(router, prefix, op, handler),
    };
  }

  /** Mounts an operation on the router and records it. The handler's return value is sent as JSON unless it already answered. */
  define<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
    router: Router,
    prefix: string,
    op: Operation<B, Q, P>,
    handler: (ctx: Context<Out<B>, Out<Q>, Out<P>>) => Promise<unknown> | unknown,
  ): void {
    this.operations.push({ ...op, path: prefix + op.path, readsCredentials: this.credentialsRead } as AnyOperation);
    const full = prefix + op.path;
    const known = this.paths.get(full) ?? {
      matches: (p: string) => Boolean(match(full, { sensitive: false, decode: false })(p)),
      methods: new Set<string>(),
    };
    known.methods.add(op.method);
    this.paths.set(full, known);
    const run = async (req: Request, res: Response) => {
      res.locals.route = prefix + op.path;
      if (op.auth === 'signed-in') requireActor(req);
      for (const mw of op.before ?? []) await runMiddleware(mw, req, res);
      if (res.headersSent) return;
      const params = (op.params ? parse(op.params, req.params) : undefined) as Out<P>;
      const query = (op.query ? parse(op.query, req.query) : undefined) as Out<Q>;
      const body = (op.body ? parse(op.body, sentBody(req, op)) : undefined) as Out<B>;
      // The declared status, unless the handler sets another (201 or 200 for a create-or-replace).
      res.status(op.status ?? (op.success.schema || op.success.contentType ? 200 : 204));
      const result = await handler({ req, res, body, query, params, actor: req.actor as Actor });
      if (res.headersSent) return;
      if (result === undefined) res.end();
      else res.json(result);
    };
    router[op.method](op.path, (req: Request, res: Response, next: NextFunction) => {
      run(req, res).catch(next);
    });
  }
}

function runMiddleware(mw: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const finished = () => resolve();
    res.once('finish', finished);
    void mw(req, res, (err?: unknown) => {
      res.off('finish', finished);
      if (err) reject(err);
      else resolve();
    });
  });
}
