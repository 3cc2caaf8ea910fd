/**
 * The commitment register's web forms and pages: register a commitment, update a part, follow an initiative,
 * the matrix (/commitments) and its CSV (the file a focal point fills in and uploads: src/web/upload.ts).
 * Each form answers with its outcome on the page it came from; a refusal says why, and nothing is written.
 */
import express, { Response, Router } from 'express';
import { requireActor } from '../api/auth';
import { toCsv } from '../api/csv';
import type { RouteDeps } from '../api/deps';
import { ApiError, asProblem } from '../api/problem';
import * as s from '../app/schemas';
import { dayOf } from '../domain/delegation';
import { zonedWallTimeToUtc } from '../domain/time';
import type { WebContext } from './context';
import { CSV_UPDATE_COLUMNS, UpdateRefusal } from '../domain/commitments';
import { formValues, parseForm } from './forms';
import type { MessageKey } from './i18n';
import { commitmentMatrixPage } from './pages/commitments';
import { reader, redirectWith, webHandler } from './routes';

const FIELD_LABELS: Record<string, MessageKey> = {
  status: 'commitmentStatus',
  progress: 'commitmentProgress',
  note: 'commitmentNote',
  evidence: 'commitmentEvidence',
  title: 'commitmentTitle',
  to: 'commitmentTo',
  dueAt: 'commitmentDue',
};
const REFUSAL_KEYS = new Map(Object.entries(UpdateRefusal).map(([key, text]) => [text as string, key]));

/** A field's refusal in the reader's words where the register has them: the field's label and why. */
function fieldWords(ctx: WebContext, f: { field: string; message: string }): string {
  const name = f.field.split('.').at(-1) ?? f.field;
  const label = name in FIELD_LABELS ? ctx.t(FIELD_LABELS[name]) : f.field;
  const key = REFUSAL_KEYS.get(f.message);
  return `${label}: ${key ? ctx.t(`refusal_${key}` as MessageKey) : f.message}`;
}

/** A refusal of a form (422, 409, 403) as a line on the page it came from; anything else is the error page's. */
export function refusedTo(err: unknown, ctx: WebContext, res: Response, deps: RouteDeps, back: string): void {
  const p = asProblem(err);
  if (!(p instanceof ApiError) || ![403, 409, 422].includes(p.status)) throw err;
  const fields = (p.extra.errors as { field: string; message: string }[] | undefined) ?? [];
  const detail = fields.length ? fields.map((f) => fieldWords(ctx, f)).join('; ') : (p.detail ?? p.title);
  redirectWith(res, deps, back, 'error', `${ctx.t('notSaved')} ${detail}`);
}

/** The matrix as a CSV a focal point fills in: a row per part, with what it says now. */
export function matrixCsv(
  m: Awaited<ReturnType<RouteDeps['commitments']['matrix']>>,
  parties: (party: string) => boolean,
): string {
  const rows = m.rows.flatMap((r) =>
    m.columns
      .filter((p) => r.cells[p] && parties(p))
      .map((p) => {
        const d = r.commitment.parties[p];
        return [
          r.commitment.id,
          p,
          d.status,
          d.progress,
          d.note ?? '',
          '',
          r.commitment.title,
          m.titles[r.commitment.initiativeId] ?? '',
        ];
      }),
  );
  return `\uFEFF${toCsv([...CSV_UPDATE_COLUMNS, 'title', 'initiative'], rows)}`;
}

export function webCommitmentRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const page = (fn: Parameters<typeof webHandler>[1]) => webHandler(deps, fn);
  const zone = deps.config.SECRETARIAT_TIME_ZONE;

  router.post(
    '/initiatives/:id/commitments',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const { id } = s.idParams.parse({ id: req.params.id });
      const back = `/initiatives/${encodeURIComponent(id)}`;
      const form = formValues(req.body);
      try {
        // A due date is the end of that day at the Secretariat's seat.
        const dueAt = form.dueAt ? zonedWallTimeToUtc(form.dueAt, '23:59', zone).toISOString() : undefined;
        const body = parseForm(s.commitmentBody, { title: form.title, to: form.to, ...(dueAt ? { dueAt } : {}) });
        const c = await deps.commitments.add(actor, id, body);
        redirectWith(res, deps, back, 'ok', ctx.t('commitmentAdded', { title: c.title }));
      } catch (err) {
        refusedTo(err, ctx, res, deps, back);
      }
    }),
  );

  router.post(
    '/commitments/:id/parts/:party',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const params = s.commitmentPartParams.parse({ id: req.params.id, party: req.params.party });
      const current = await deps.commitments.get(params.id);
      const back = current ? `/initiatives/${encodeURIComponent(current.initiativeId)}` : '/commitments';
      const form = formValues(req.body);
      try {
        const body = parseForm(s.deliveryBody, {
          status: form.status || undefined,
          progress: form.progress ? Number(form.progress) : undefined,
          note: form.note || undefined,
          evidence: form.evidenceUrl
            ? [{ url: form.evidenceUrl, ...(form.evidenceTitle ? { title: form.evidenceTitle } : {}) }]
            : undefined,
        });
        const c = await deps.commitments.update(actor, { commitmentId: params.id, party: params.party, ...body });
        const d = c.parties[params.party];
        redirectWith(
          res,
          deps,
          back,
          'ok',
          ctx.t('commitmentUpdated', {
            party: params.party === 'secretariat' ? ctx.t('commitmentToSecretariat') : ctx.stateName(params.party),
            status: ctx.t(`cs_${d.status}` as 'cs_delivered'),
            progress: d.progress,
          }),
        );
      } catch (err) {
        refusedTo(err, ctx, res, deps, back);
      }
    }),
  );

  router.post(
    '/initiatives/:id/following',
    page(async (ctx, req, res) => {
      const actor = requireActor(req);
      const { id } = s.idParams.parse({ id: req.params.id });
      const on = formValues(req.body).follow !== 'off';
      await (on ? deps.commitments.follow(actor, id) : deps.commitments.unfollow(actor, id));
      redirectWith(
        res,
        deps,
        `/initiatives/${encodeURIComponent(id)}`,
        'ok',
        ctx.t(on ? 'followSaved' : 'unfollowSaved'),
      );
    }),
  );

  router.get(
    '/commitments',
    page(async (ctx, _req, res) => {
      reader(ctx);
      res.type('html').send(commitmentMatrixPage(ctx, await deps.commitments.matrix()));
    }),
  );

  router.get(
    '/commitments.csv',
    page(async (ctx, _req, res) => {
      const actor = reader(ctx);
      const m = await deps.commitments.matrix();
      const mine = (p: string) => actor.roles.includes('secretariat') || p === actor.state;
      res
        .type('text/csv; charset=utf-8')
        .attachment(`commitments-${dayOf(new Date(), zone)}.csv`)
        .send(matrixCsv(m, mine));
    }),
  );

  return router;
}
