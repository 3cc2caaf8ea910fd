/** The dashboard page and the Secretariat's forms for dependencies between initiatives. */
import express, { Router } from 'express';
import { requireActor } from '../api/auth';
import type { RouteDeps } from '../api/deps';
import * as s from '../app/schemas';
import { refusedTo } from './commitment-routes';
import { formValues, parseForm } from './forms';
import { dashboardPage } from './pages/dashboard';
import { reader, redirectWith, webHandler } from './routes';

export function webDashboardRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const page = (fn: Parameters<typeof webHandler>[1]) => webHandler(deps, fn);

  router.get(
    '/dashboard',
    page(async (ctx, _req, res) => {
      reader(ctx);
      res.type('html').send(dashboardPage(ctx, await deps.dashboard.figures()));
    }),
  );

  router.post(
    '/initiatives/:id/dependencies',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const { id } = s.idParams.parse({ id: req.params.id });
      const back = `/initiatives/${encodeURIComponent(id)}`;
      const form = formValues(req.body);
      try {
        const body = parseForm(s.dependencyBody, {
          blockedBy: form.blockedBy,
          until: form.until,
          ...(form.reason ? { reason: form.reason } : {}),
        });
        await deps.dependencies.add(actor, id, body);
        const blocker = await deps.readModel.view(body.blockedBy);
        redirectWith(res, deps, back, 'ok', ctx.t('dependencyAdded', { title: blocker?.title ?? body.blockedBy }));
      } catch (err) {
        refusedTo(err, ctx, res, deps, back);
      }
    }),
  );

  router.post(
    '/dependencies/:id/removal',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const { id } = s.dependencyParams.parse({ id: req.params.id });
      const dependency = await deps.dependencies.get(id);
      const back = dependency ? `/initiatives/${encodeURIComponent(dependency.initiativeId)}` : '/dashboard';
      try {
        await deps.dependencies.remove(actor, id);
        redirectWith(res, deps, back, 'ok', ctx.t('dependencyDropped'));
      } catch (err) {
        refusedTo(err, ctx, res, deps, back);
      }
    }),
  );

  return router;
}
