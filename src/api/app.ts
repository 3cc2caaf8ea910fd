/**
 * The HTTP API: declared operations (src/api/routing.ts) parse, authorize and hand off to the services;
 * errors become problem+json in one place (./problem.ts). Mounting order: logs and metrics, security
 * headers, the cross-site refusal, no-store for /api, the upload (which authenticates before it reads),
 * body types and limits, filter sanitization, operator routes, authentication, then everything else.
 * The sign-in queue's loop runs in this process (src/service/sign-in.ts).
 */
import { metricNameOf } from '../domain/acts';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { accessLog } from './access-log';
import { FORM_BODY_LIMIT, FORM_FIELD_LIMIT, JSON_BODY_LIMIT } from './body-limits';
import { authenticate } from './auth';
import type { AppDeps, RouteDeps } from './deps';
import { createMetrics } from './metrics';
import { errorHandler, problems } from './problem';
import { createRateLimits } from './rate-limits';
import { OperationRegistry } from './routing';
import { accountRoutes, renderSignInEmail } from './routes/account';
import { actionLinkRoutes } from './routes/action-links';
import { directoryRoutes } from './routes/directory';
import { emailRoutes } from './routes/emails';
import { inboxRoutes } from './routes/inbox';
import { evidenceRoutes } from './routes/evidence';
import { commitmentRoutes } from './routes/commitments';
import { parliamentGate } from './parliament-gate';
import { dashboardRoutes } from './routes/dashboard';
import { publicationRoutes } from './routes/publication';
import { reportRoutes } from './routes/reports';
import { initiativeRoutes } from './routes/initiatives';
import { operationRoutes } from './routes/operations';
import { createSessionSupport, isSafeMethod } from './session';
import { webCommitmentRoutes, webDashboardRoutes, webRoutes, webUploadRoutes } from '../web';
import { isLang, translator } from '../web/i18n';
import { signInEmail } from '../web/pages/sign-in';
import { createSignInQueue } from '../service/sign-in';
import { rejectOperatorKeys } from './validate';

export type { AppDeps } from './deps';

const JSON_TYPES = ['application/json', 'application/*+json'];
/** /api, as routing matches it: whatever the case. */
const API_PREFIX = /^\/api(\/|$)/i;

/**
 * A request with a body must send it as JSON; a form body (what another site can post without asking the
 * browser first) is taken only outside /api: by the web pages and by the operations that declare `formBody`,
 * none of which lives under /api (createApp checks).
 */
function requireKnownBodyType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  const accepted = API_PREFIX.test(req.path) ? JSON_TYPES : [...JSON_TYPES, 'application/x-www-form-urlencoded'];
  if (hasBody && !req.is(accepted)) {
    return next(
      problems.unsupportedMediaType(
        `send the body as application/json, not ${req.get('content-type') ?? 'without a Content-Type'}`,
      ),
    );
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
  const base = deps.config.PUBLIC_URL.replace(/\/$/, '');
  const signIn = createSignInQueue({
    requests: deps.signInRequests,
    directory: deps.directory,
    magicLinks: deps.magicLinks,
    mailer: deps.mailer,
    config: deps.config,
    composers: {
      api: (person, token, minutes) => renderSignInEmail(person.name, `${base}/auth/sign-in?token=${token}`, minutes),
      web: (person, token, minutes, lang) =>
        signInEmail(
          { t: translator(isLang(person.locale) ? person.locale : isLang(lang) ? lang : 'en') },
          person.name,
          `${base}/sign-in/link?token=${token}`,
          minutes,
        ),
    },
    counted: (outcome) => metrics.signInEmails.inc({ outcome }),
  });
  const routeDeps: RouteDeps = {
    ...deps,
    metrics,
    sessionSupport,
    signIn,
    limits: createRateLimits(deps.config, deps.rateLimits),
  };
  // Every act is counted where it is attempted, whichever adapter it came through (API, web page, email link).
  deps.service.observeActs((act, outcome) =>
    metrics.acts.inc({ act: act === 'start' ? act : metricNameOf(act), outcome }),
  );

  app.use(accessLog);
  app.use(metrics.middleware);
  // Over plain http (npm start, a test stack) the browser must not be told to upgrade to https, nor to remember it.
  app.use(
    helmet({
      strictTransportSecurity: sessionSupport.secure,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: sessionSupport.secure ? [] : null } },
    }),
  );
  // Login CSRF and every other cross-site change: refused before any body is read or anyone is looked up.
  app.use((req, _res, next) =>
    next(!isSafeMethod(req.method) && sessionSupport.crossSite(req) ? problems.crossSite() : undefined),
  );
  // Answers under /api may carry secrets (tokens, CSRF tokens, feed URLs): no cache, shared or private, keeps them.
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(webUploadRoutes(routeDeps)); // the web interface's summit-file upload is multipart
  app.use(requireKnownBodyType);
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: FORM_FIELD_LIMIT }));
  app.use(cookieParser());
  app.use(rejectOperatorKeys);

  const registry = new OperationRegistry();
  operationRoutes(registry, app, routeDeps);

  app.use(
    authenticate({
      tokens: deps.tokens,
      directory: deps.directory,
      sessions: sessionSupport,
      fallbackZone: deps.config.SECRETARIAT_TIME_ZONE,
    }),
  );
  app.use(parliamentGate);
  registry.authenticatedFromHere();
  const api = express.Router();
  accountRoutes(registry, app, api, routeDeps);
  initiativeRoutes(registry, api, routeDeps);
  evidenceRoutes(registry, api, routeDeps);
  publicationRoutes(registry, api, routeDeps);
  reportRoutes(registry, api, routeDeps);
  commitmentRoutes(registry, api, routeDeps);
  dashboardRoutes(registry, api, routeDeps);
  inboxRoutes(registry, app, api, routeDeps);
  directoryRoutes(registry, api, routeDeps);
  emailRoutes(registry, api, routeDeps);
  actionLinkRoutes(registry, app, routeDeps);
  app.use('/api', api);
  app.use(webRoutes(routeDeps)); // the web interface (src/web)
  app.use(webCommitmentRoutes(routeDeps));
  app.use(webDashboardRoutes(routeDeps));

  app.use((req, _res, next) => {
    const allow = registry.allowedMethods(req.path);
    next(
      allow.length
        ? problems.methodNotAllowed(req.method, req.path, allow)
        : problems.notFound(`${req.method} ${req.path}`),
    );
  });
  app.use(errorHandler);

  const formUnderApi = registry.operations.filter((op) => op.formBody && API_PREFIX.test(op.path));
  if (formUnderApi.length)
    throw new Error(
      `/api takes JSON only; move these form operations out of it: ${formUnderApi.map((op) => op.path).join(', ')}`,
    );

  signIn.start();
  /** Stops the sign-in queue's loop (the server's close calls it). */
  return Object.assign(app, { stopBackgroundWork: () => signIn.stop() });
}
