/**
 * The HTTP API: declared operations (src/api/routing.ts) parse, authorize and hand off to the services;
 * errors become problem+json in one place (./problem.ts). Mounting order: logs and metrics, security
 * headers, body limits, filter sanitization, operator routes, authentication, then everything else.
 */
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { accessLog } from './access-log';
import { authenticate } from './auth';
import type { AppDeps, RouteDeps } from './deps';
import { createMetrics } from './metrics';
import { errorHandler, problems } from './problem';
import { createRateLimits } from './rate-limits';
import { OperationRegistry } from './routing';
import { accountRoutes } from './routes/account';
import { actionLinkRoutes } from './routes/action-links';
import { directoryRoutes } from './routes/directory';
import { emailRoutes } from './routes/emails';
import { inboxRoutes } from './routes/inbox';
import { initiativeRoutes } from './routes/initiatives';
import { operationRoutes } from './routes/operations';
import { createSessionSupport } from './session';
import { webRoutes, webUploadRoutes } from '../web';
import { rejectOperatorKeys } from './validate';

export type { AppDeps } from './deps';

export const JSON_BODY_LIMIT = '256kb';
const FORM_BODY_LIMIT = '64kb';

/** An unsafe request with a body must send it as JSON (or as a form, for the HTML pages). */
function requireKnownBodyType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json', 'application/x-www-form-urlencoded'])) {
    return next(problems.unsupportedMediaType(`send the body as application/json, not ${req.get('content-type') ?? 'without a Content-Type'}`));
  }
  next();
}

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.config.TRUST_PROXY_HOPS || false);

  const metrics = createMetrics(deps.outbox);
  const sessionSupport = createSessionSupport(deps.sessions, deps.config);
  const routeDeps: RouteDeps = { ...deps, metrics, sessionSupport, limits: createRateLimits(deps.config) };

  app.use(accessLog);
  app.use(metrics.middleware);
  // Over plain http (npm start, a test stack) the browser must not be told to upgrade to https, nor to remember it.
  app.use(
    helmet({
      strictTransportSecurity: sessionSupport.secure,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: sessionSupport.secure ? [] : null } },
    }),
  );
  app.use(webUploadRoutes(routeDeps)); // the web interface's summit-file upload is multipart
  app.use(requireKnownBodyType);
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: 100 }));
  app.use(cookieParser());
  app.use(rejectOperatorKeys);

  const registry = new OperationRegistry();
  operationRoutes(registry, app, routeDeps);

  app.use(authenticate({ tokens: deps.tokens, directory: deps.directory, sessions: sessionSupport }));
  const api = express.Router();
  accountRoutes(registry, app, api, routeDeps);
  initiativeRoutes(registry, api, routeDeps);
  inboxRoutes(registry, app, api, routeDeps);
  directoryRoutes(registry, api, routeDeps);
  emailRoutes(registry, api, routeDeps);
  actionLinkRoutes(registry, app, routeDeps);
  app.use('/api', api);
  app.use(webRoutes(routeDeps)); // the web interface (src/web)

  app.use((req, _res, next) => next(problems.notFound(`${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
