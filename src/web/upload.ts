/**
 * Importing a summit file from the browser: a multipart form (mounted before the API's body-type guard,
 * which accepts only JSON and urlencoded bodies). The file's bytes are checked against the summit file's
 * size limit and schema (src/seed/summit-file.ts) and loaded by src/seed/load.ts; nothing is read from or
 * written to the server's filesystem, whatever the upload's file name says. The body is read only after the
 * caller is known to be the Secretariat: anyone else is answered (sign-in redirect, 403) without it.
 */
import cookieParser from 'cookie-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import express, { Request, Response, Router } from 'express';
import { authenticate, requireActor, requireRole } from '../api/auth';
import type { RouteDeps } from '../api/deps';
import { Role } from '../domain/types';
import { previewSummit } from '../seed/preview';
import { MAX_SUMMIT_FILE_BYTES, summitFile } from '../seed/summit-file';
import { fieldErrorsOf, isInvalid } from './forms';
import { importPage } from './pages/secretariat';
import { importPreviewPage } from './pages/import-preview';
import { runMiddleware, webHandler } from './routes';
import { setFlash } from './context';
import { ApiError, asProblem, problems } from '../api/problem';
import * as s from '../app/schemas';
import type { PartUpdate } from '../service/commitments';
import { sameSecret } from '../api/session';

/** Room for the form's other fields and the part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, { filename: string; data: Buffer }>;
}

/** Parses a multipart/form-data body (RFC 7578) already read into memory; malformed parts are skipped. */
export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const out: Multipart = { fields: {}, files: {} };
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  if (!m) return out;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const data = part.subarray(split + 4);
      const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      const filename = /content-disposition:[^\r\n]*\bfilename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) out.files[name] = { filename, data };
        else out.fields[name] = data.toString('utf8');
      }
    }
    pos = next;
  }
  return out;
}

export function webUploadRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_SUMMIT_FILE_BYTES + MULTIPART_OVERHEAD });
  const size = `${Math.round(MAX_SUMMIT_FILE_BYTES / 1024 / 1024)} MB`;

  /** Reads the multipart body (only once the caller may import); a body over the limit is reported, not parsed. */
  const readUpload = (req: Request, res: Response) =>
    new Promise<{ parts: Multipart; tooLarge: boolean }>((resolve, reject) => {
      raw(req, res, (err?: unknown) => {
        const tooLarge = (err as { type?: string } | undefined)?.type === 'entity.too.large';
        if (err && !tooLarge) return reject(err);
        resolve({
          parts: tooLarge
            ? { fields: {}, files: {} }
            : parseMultipart(req.body as Buffer, req.get('content-type') ?? ''),
          tooLarge,
        });
      });
    });

  /** A multipart form's caller, known from the headers before the body is read. */
  const multipartCaller = [
    (req: Request, _res: Response, next: (route?: 'router') => void) =>
      req.is('multipart/form-data') ? next() : next('router'),
    cookieParser(),
    authenticate({
      tokens: deps.tokens,
      directory: deps.directory,
      sessions: deps.sessionSupport,
      fallbackZone: deps.config.SECRETARIAT_TIME_ZONE,
    }),
  ];

  router.post(
    '/secretariat/import',
    // Who is calling is settled from the headers alone: the 5 MB body is read only for the Secretariat.
    ...multipartCaller,
    webHandler(deps, async (ctx, req, res) => {
      if (!req.actor) throw problems.unauthenticated();
      requireRole(req.actor, Role.Secretariat, 'import a summit file');
      await runMiddleware(deps.limits.acts, req, res);
      const upload = await readUpload(req, res);
      // A browser's CSRF token travels in the form, so the session's check waits for the body.
      if (req.auth?.via === 'session' && !req.auth.csrfOk)
        req.auth.csrfOk = sameSecret(upload.parts.fields._csrf, req.auth.csrfToken);
      const actor = requireActor(req);
      const { parts, tooLarge } = upload;
      const show = (status: number, message: string, problems: string[] = []) =>
        void res
          .status(status)
          .type('html')
          .send(importPage(ctx, MAX_SUMMIT_FILE_BYTES, { file: message }, problems));
      const file = parts.files.file;
      if (tooLarge || (file && file.data.length > MAX_SUMMIT_FILE_BYTES))
        return show(413, ctx.t('importTooLarge', { size }));
      if (!file || file.data.length === 0) return show(422, ctx.t('importNoFile'));
      let json: unknown;
      try {
        json = JSON.parse(file.data.toString('utf8'));
      } catch (err) {
        return show(422, ctx.t('importNotJson', { error: (err as Error).message }));
      }
      const parsed = summitFile.safeParse(json);
      if (!parsed.success)
        return show(
          422,
          ctx.t('importInvalid'),
          parsed.error.issues.slice(0, 50).map((i) => `${i.path.join('.')}: ${i.message}`),
        );
      // Nothing is written yet: the Secretariat sees what the file would change and confirms it.
      const preview = await previewSummit(parsed.data, {
        state: (code) => deps.directory.state(code),
        rotationOf: (year) => deps.directory.rotationOf(year),
        person: (id) => deps.directory.person(id),
        // The read model by id first; the workflow only for one not recorded yet (a missing one answers at once).
        initiativeExists: async (id) => (await deps.readModel.exists(id)) || Boolean(await deps.service.get(id)),
      });
      const pending = await deps.pendingImports.keep(actor.personId, parsed.data);
      res.type('html').send(importPreviewPage(ctx, preview, pending));
    }),
  );

  router.post(
    '/commitments/updates',
    ...multipartCaller,
    webHandler(deps, async (ctx, req, res) => {
      if (!req.actor) throw problems.unauthenticated();
      await runMiddleware(deps.limits.acts, req, res);
      const upload = await readUpload(req, res);
      if (req.auth?.via === 'session' && !req.auth.csrfOk)
        req.auth.csrfOk = sameSecret(upload.parts.fields._csrf, req.auth.csrfToken);
      const actor = requireActor(req);
      const refuse = (text: string) => {
        setFlash(res, { kind: 'error', text: `${ctx.t('notSaved')} ${text}` }, deps.sessionSupport.secure);
        res.redirect(303, '/commitments#outcome');
      };
      const file = upload.parts.files.file;
      if (upload.tooLarge || (file && file.data.length > MAX_SUMMIT_FILE_BYTES))
        return refuse(ctx.t('importTooLarge', { size }));
      if (!file || file.data.length === 0) return refuse(ctx.t('importNoFile'));
      const rows = commitmentRowsOf(file.data, (n) => ctx.t('csvLine', { n }));
      if ('error' in rows) return refuse(rows.error);
      try {
        const done = await deps.commitments.updateParts(actor, rows.rows);
        setFlash(res, { kind: 'ok', text: ctx.t('csvApplied', { n: done.updated }) }, deps.sessionSupport.secure);
        res.redirect(303, '/commitments#outcome');
      } catch (err) {
        const problem = asProblem(err);
        if (!isInvalid(problem) && !(problem instanceof ApiError && problem.status === 403)) throw err;
        // Rows are counted as a spreadsheet shows them: the header is line 1.
        const lines = Object.entries(fieldErrorsOf(problem as ApiError)).map(
          ([k, v]) => `${k.replace(/^rows\.(\d+)/, (_m, i: string) => ctx.t('csvLine', { n: Number(i) + 2 }))}: ${v}`,
        );
        refuse(lines.join('; ') || (problem as ApiError).detail || '');
      }
    }),
  );
  return router;
}

/**
 * A focal point's CSV file as rows of a bulk update (the columns of /commitments.csv; others are ignored). Blank
 * cells change nothing; a file that is not CSV, or a row the schema refuses, is named by its line.
 */
function commitmentRowsOf(data: Buffer, line: (n: number) => string): { rows: PartUpdate[] } | { error: string } {
  let records: Record<string, string>[];
  try {
    records = parseCsv(data, {
      columns: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const rows = records.map((r) => ({
    commitmentId: r.commitment ?? '',
    party: r.party ?? '',
    ...(r.status ? { status: r.status } : {}),
    ...(r.progress ? { progress: Number(r.progress) } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.evidence ? { evidence: [{ url: r.evidence }] } : {}),
  }));
  const parsed = s.deliveryRowsBody.safeParse({ rows });
  if (parsed.success) return { rows: parsed.data.rows };
  return {
    error: parsed.error.issues
      .slice(0, 20)
      .map((i) => {
        const [, index, ...rest] = i.path.map(String);
        return i.path[0] === 'rows' && index !== undefined
          ? `${line(Number(index) + 2)}${rest.length ? ` (${rest.join('.')})` : ''}: ${i.message}`
          : i.message;
      })
      .join('; '),
  };
}
