/**
 * The reports for the next summit: the progress report of a summit's decisions (now, or as the Secretariat kept
 * it on a day, and what changed since), and the incoming Chair's handover pack.
 */
import type { Response, Router } from 'express';
import * as s from '../../app/schemas';
import type { ReportDocument } from '../../report/document';
import { renderReport, type ReportFormat, type SnapshotSummary } from '../../service/reports';
import type { RouteDeps } from '../deps';
import { problems } from '../problem';
import type { OperationRegistry } from '../routing';

const TAG = 'Reports';
const FILE_TYPES = ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];
const MEMBERS = 'anyone signed in (the member states)';

/** Sends the document as a download in `format`; JSON is the report's data, answered by the caller. */
async function sendFile(res: Response, doc: ReportDocument, format: Exclude<ReportFormat, 'json'>, name: string) {
  const file = await renderReport(doc, format, new Date());
  res.attachment(`${name}.${file.extension}`).type(file.contentType).send(file.body);
}

const summaryOut = (k: SnapshotSummary) => ({ ...k, takenAt: k.takenAt.toISOString() });

export function reportRoutes(registry: OperationRegistry, api: Router, deps: RouteDeps): void {
  const { define } = registry.on(api, '/api');
  const { reports } = deps;

  define(
    {
      method: 'get',
      path: '/reports/progress',
      summary: "The progress report on a summit's decisions, for the next summit",
      description:
        'Per initiative: the summit sentence it came from, its stage, when it was adopted, each member state’s position, what is late, since when, waiting on whom and why, and its milestones; per state: approvals, pending decisions, objections and late steps. As it stands now; with `since` (a kept report of the same summit) the document opens with what changed after it. `format=pdf` to read and print, `docx` to edit, in `lang` en or ru.',
      tag: TAG,
      auth: 'signed-in',
      access: MEMBERS,
      query: s.progressReportQuery,
      success: { description: 'the report', schema: s.progressReportResponse, also: FILE_TYPES },
      errors: [404],
    },
    async ({ query, res }) => {
      const made = await reports.progress(query.summit, query.lang, { since: query.since });
      if (!made) throw problems.notFound(`initiatives of the summit ${query.summit}`);
      if (query.format === 'json') return made.report;
      await sendFile(res, made.doc, query.format, `progress-report-${query.summit}-${query.lang}`);
      return undefined;
    },
  );

  define(
    {
      method: 'post',
      path: '/reports/progress/snapshots',
      summary: "Keep a summit's progress report as it stands now",
      description:
        'The report is kept whole, as the member states are shown it today: it can be downloaded again as it was, and a later report can open with what changed after it (`GET /api/reports/progress?since=`).',
      tag: TAG,
      auth: 'signed-in',
      access: 'the Secretariat',
      body: s.reportSnapshotBody,
      status: 201,
      success: { description: 'the kept report', schema: s.reportSnapshotResponse },
      errors: [403, 404],
    },
    async ({ actor, body }) => {
      const kept = await reports.keep(actor, body.summit, body.note);
      if (!kept) throw problems.notFound(`initiatives of the summit ${body.summit}`);
      return summaryOut(kept);
    },
  );

  define(
    {
      method: 'get',
      path: '/reports/progress/snapshots',
      summary: "A summit's kept progress reports, newest first",
      tag: TAG,
      auth: 'signed-in',
      access: MEMBERS,
      query: s.reportSnapshotsQuery,
      success: { description: 'the kept reports', schema: s.reportSnapshotListResponse },
    },
    async ({ query }) => ({ items: (await reports.kept(query.summit)).map(summaryOut) }),
  );

  define(
    {
      method: 'get',
      path: '/reports/progress/snapshots/:id',
      summary: 'A kept progress report, as it stood',
      tag: TAG,
      auth: 'signed-in',
      access: MEMBERS,
      params: s.reportSnapshotParams,
      query: s.reportSnapshotQuery,
      success: { description: 'the report as kept', schema: s.progressReportResponse, also: FILE_TYPES },
      errors: [404],
    },
    async ({ params, query, res }) => {
      const kept = await reports.snapshot(params.id, query.lang);
      if (query.format === 'json') return kept.report;
      await sendFile(res, kept.doc, query.format, `progress-report-${kept.summit}-${params.id}-${query.lang}`);
      return undefined;
    },
  );

  define(
    {
      method: 'get',
      path: '/reports/handover',
      summary: "The incoming Chair's handover pack",
      description:
        'What the Chair of `year` inherits on the rotation date: every open initiative, the deadlines of the first 90 days and the objections that block a round. When no Chair is entered for the year, the pack says so. `format=pdf` or `docx`, in `lang` en or ru.',
      tag: TAG,
      auth: 'signed-in',
      access: MEMBERS,
      query: s.handoverQuery,
      success: { description: 'the pack', schema: s.handoverResponse, also: FILE_TYPES },
    },
    async ({ query, res }) => {
      const made = await reports.handover(query.year, query.lang);
      if (query.format === 'json') return made.pack;
      await sendFile(res, made.doc, query.format, `handover-${query.year}-${query.lang}`);
      return undefined;
    },
  );
}
