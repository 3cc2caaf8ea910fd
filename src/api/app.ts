/** The HTTP API: routes parse, check roles and hand off to the services; errors become problem+json. */
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { Role } from '../domain/types';
import type { Directory } from '../persistence/directory';
import type { TokenModel } from '../persistence/tokens';
import type { InitiativeService } from '../service/initiatives';
import type { ReadModel } from '../service/read-model';
import { authenticate, requireRole } from './auth';
import { errorHandler, problems } from './problem';
import * as s from './schemas';
import { parse } from './validate';

export interface AppDeps {
  service: InitiativeService;
  readModel: ReadModel;
  directory: Directory;
  tokens: TokenModel;
  /** Readiness checks by name: each resolves when its dependency answers. */
  readiness: Record<string, () => Promise<unknown>>;
}

const wrap =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next: NextFunction) => {
    fn(req, res).catch(next);
  };

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(express.json({ limit: '256kb', strict: true }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    wrap(async (_req, res) => {
      const results = await Promise.all(
        Object.entries(deps.readiness).map(async ([name, check]) => {
          try {
            await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
            return [name, 'ok'] as const;
          } catch {
            return [name, 'unreachable'] as const;
          }
        }),
      );
      const ready = results.every(([, v]) => v === 'ok');
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
    }),
  );

  const api = express.Router();
  api.use(authenticate(deps.tokens, deps.directory));
  const key = (req: Request) => {
    const k = req.get('idempotency-key');
    if (k !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(k)) throw problems.invalid([{ field: 'Idempotency-Key', message: '8 to 128 letters, digits or _.:-' }]);
    return k;
  };
  const idOf = (req: Request) => parse(s.initiativeId, req.params.id);

  api.post(
    '/initiatives',
    wrap(async (req, res) => {
      const actor = requireRole(req, Role.Secretariat, 'start an initiative');
      const body = parse(s.startInitiativeBody, req.body);
      const { created, initiative } = await deps.service.start(actor, body);
      res.status(created ? 201 : 200).location(`/api/initiatives/${initiative.id}`).json(initiative);
    }),
  );
  api.get(
    '/initiatives',
    wrap(async (req, res) => {
      res.json(await deps.readModel.list(parse(s.listQuery, req.query)));
    }),
  );
  api.get(
    '/initiatives/:id',
    wrap(async (req, res) => {
      const id = idOf(req);
      const initiative = await deps.service.get(id);
      if (!initiative) throw problems.notFound(`initiative ${id}`);
      res.json(initiative);
    }),
  );
  api.get(
    '/initiatives/:id/events',
    wrap(async (req, res) => {
      res.json(await deps.readModel.events(idOf(req)));
    }),
  );

  const secretariatAct = (path: string, what: string, schema: Parameters<typeof parse>[0], run: (id: string, req: Request, body: never) => Promise<unknown>) =>
    api.post(
      path,
      wrap(async (req, res) => {
        requireRole(req, Role.Secretariat, what);
        res.json(await run(idOf(req), req, parse(schema, req.body) as never));
      }),
    );
  secretariatAct('/initiatives/:id/assignment', 'assign an initiative', s.assignBody, (id, req, body) => deps.service.assign(id, req.actor!, body, key(req)));
  secretariatAct('/initiatives/:id/deadlines', 'extend a deadline', s.deadlineBody, (id, req, body) => deps.service.extendDeadline(id, req.actor!, body, key(req)));
  secretariatAct('/initiatives/:id/withdrawal', 'withdraw an initiative', s.reasonBody, (id, req, body) => deps.service.withdraw(id, req.actor!, body, key(req)));
  secretariatAct('/initiatives/:id/return-to-drafting', 'return a draft to drafting', s.reasonBody, (id, req, body) => deps.service.returnToDrafting(id, req.actor!, body, key(req)));
  secretariatAct('/initiatives/:id/milestones', 'add a milestone', s.milestoneBody, (id, req, body) => deps.service.addMilestone(id, req.actor!, body, key(req)));
  secretariatAct('/initiatives/:id/completion', 'complete an initiative', s.noteBody, (id, req, body) => deps.service.complete(id, req.actor!, body, key(req)));

  // Acts whose entitlement depends on the initiative (lead official, own state, milestone owner) are checked by the workflow.
  api.post(
    '/initiatives/:id/drafts',
    wrap(async (req, res) => {
      res.json(await deps.service.submitDraft(idOf(req), req.actor!, parse(s.draftBody, req.body), key(req)));
    }),
  );
  api.post(
    '/initiatives/:id/decisions',
    wrap(async (req, res) => {
      const body = parse(s.decisionBody, req.body);
      if (req.actor!.state !== body.state) throw problems.forbidden(`${req.actor!.name} may decide only for ${req.actor!.state ?? 'no state'}, not ${body.state}`);
      res.json(await deps.service.decide(idOf(req), req.actor!, body, key(req)));
    }),
  );
  api.post(
    '/initiatives/:id/milestones/:milestoneId/completion',
    wrap(async (req, res) => {
      const milestoneId = parse(s.initiativeId, req.params.milestoneId);
      res.json(await deps.service.completeMilestone(idOf(req), req.actor!, milestoneId, parse(s.noteBody, req.body), key(req)));
    }),
  );

  app.use('/api', api);
  app.use((req, _res, next) => next(problems.notFound(`${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
