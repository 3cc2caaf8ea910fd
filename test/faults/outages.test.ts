/**
 * Outages of the services the API and the worker depend on, and duplicate requests:
 *  - FerretDB stopped for 30 s: the API answers 503 problem+json where it needs the database and keeps
 *    running; nothing accepted is lost; the read model catches up;
 *  - the SMTP sink stopped for a minute: every email is delivered afterwards, once;
 *  - concurrent duplicate acts, and retries with the same Idempotency-Key: exactly one takes effect.
 */
import {
  auditActs,
  auditEmails,
  emailFailures,
  emailFigures,
  type EmailAudit,
  outboxOpen,
  outboxSettled,
  queuedDiffers,
  readModelBehind,
  untilCompleted,
  untilDone,
  workflowsNotIn,
} from './support/checks';
import {
  type ActRecord,
  actUntilSettled,
  call,
  eventually,
  type FaultStack,
  OPERATOR_AUTH,
  type Reply,
  sleep,
  startFaultStack,
} from './support/fault-stack';
import { recordSection } from './support/report';
import {
  complete,
  runPrefix,
  runSeed,
  secondsSince,
  seededTiming,
  signoffRound,
  STATES,
  toSignoff,
} from './support/rounds';

let stack: FaultStack;
const seed = runSeed();
const { between } = seededTiming(seed);
/** Emails a consensus round queues without faults (measured in beforeAll). */
let roundEmails = 0;

beforeAll(async () => {
  stack = await startFaultStack('outages');
  const control = `${runPrefix('control')}-c`;
  await signoffRound(stack, control, 0, 'consensus', []);
  await eventually(
    'the control round to complete',
    async () => (await workflowsNotIn(stack, [control])).length === 0,
    120_000,
  );
  await eventually("the control round's emails", () => outboxSettled(stack, [control]), 120_000);
  roundEmails = (await auditEmails(stack, [control])).perInitiative.get(control) ?? 0;
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

function commonFailures(
  acts: Awaited<ReturnType<typeof auditActs>>,
  emails: EmailAudit,
  stuck: string[],
  behind: string[],
  ids: string[],
  exitsBefore: number,
): string[] {
  return [
    ...stuck.map((s) => `workflow not completed: ${s}`),
    ...acts.lost.map((l) => `act lost: ${l}`),
    ...acts.duplicated.map((d) => `act duplicated: ${d}`),
    ...behind.map((b) => `read model behind: ${b}`),
    ...emailFailures(emails),
    ...queuedDiffers(emails.perInitiative, () => roundEmails, ids),
    ...stack
      .exits()
      .slice(exitsBefore)
      .filter((e) => e.service !== ASKED)
      .map((e) => `${e.service} exited unasked (code ${e.code}, signal ${e.signal})`),
  ];
}
/** The service the scenario stops on purpose; its exits are not failures. */
let ASKED = '';

function isProblem503(r: Reply): boolean {
  return (
    r.status === 503 &&
    r.contentType.startsWith('application/problem+json') &&
    /service-unavailable$/.test(String(r.body?.type)) &&
    r.headers.get('retry-after') !== null
  );
}

test('FerretDB stopped for 30 s: 503 problem+json where the database is needed, the API keeps running, nothing accepted is lost, the read model catches up', async () => {
  const started = Date.now();
  ASKED = 'ferretdb';
  const exitsBefore = stack.exits().length;
  const prefix = runPrefix('mongo');
  const ids = Array.from({ length: 6 }, (_, i) => `${prefix}-${i}`);
  const acts: ActRecord[] = [];
  await Promise.all(ids.map((id, i) => toSignoff(stack, id, STATES[i % STATES.length], acts)));

  // Decisions spread over 60 s, across the outage; each retried with its key until settled.
  const t0 = Date.now();
  const actErrors: string[] = [];
  const rounds = Promise.all(
    ids.map(async (id) => {
      try {
        await Promise.all(
          STATES.map(async (state) => {
            await sleep(between(0, 60_000));
            await actUntilSettled(
              stack,
              {
                initiativeId: id,
                act: 'decide',
                person: `rep-${state.toLowerCase()}`,
                path: `/api/initiatives/${id}/decisions`,
                key: `${id}.${state}.r1`,
                body: { state, decision: 'approve', revision: 1 },
              },
              { log: acts },
            );
          }),
        );
        await complete(stack, id, acts);
      } catch (err) {
        actErrors.push((err as Error).message);
      }
    }),
  );

  await sleep(8000);
  const injected = [
    `${ids.length} initiatives in sign-off; ${ids.length * STATES.length} decisions sent at random moments over 60 s from t=0, each retried with its Idempotency-Key until settled`,
  ];
  const stopAt = Date.now();
  await stack.services.ferretdb.stop();
  injected.push(`t=${secondsSince(t0)} s: FerretDB stopped (SIGTERM)`);
  const probes: { what: string; r: Reply }[] = [];
  while (Date.now() - stopAt < 30_000) {
    const [list, one, health, ready] = await Promise.all([
      call(stack, 'secretariat', 'GET', '/api/initiatives'),
      call(stack, 'secretariat', 'GET', `/api/initiatives/${ids[0]}/events`),
      call(stack, null, 'GET', '/healthz'),
      call(stack, null, 'GET', '/readyz'),
    ]);
    probes.push(
      { what: 'GET /api/initiatives', r: list },
      { what: 'GET /api/initiatives/{id}/events', r: one },
      { what: 'GET /healthz', r: health },
      { what: 'GET /readyz', r: ready },
    );
    await sleep(2000);
  }
  const startAt = Date.now();
  await stack.services.ferretdb.start();
  injected.push(
    `t=${secondsSince(t0)} s: FerretDB started again after ${((startAt - stopAt) / 1000).toFixed(0)} s down (ready after ${secondsSince(startAt)} s)`,
  );
  await rounds;

  const caughtUp = await eventually(
    'the read model to catch up',
    async () => ((await readModelBehind(stack, ids)).length === 0 ? Date.now() : undefined),
    300_000,
    2000,
  ).catch(() => undefined);
  const stuck = await untilCompleted(stack, ids);
  await untilDone(() => outboxOpen(stack, ids));

  const dbProbes = probes.filter((p) => p.what.startsWith('GET /api/'));
  const not503 = dbProbes.filter((p) => !isProblem503(p.r));
  const health = probes.filter((p) => p.what === 'GET /healthz');
  const ready = probes.filter((p) => p.what === 'GET /readyz');
  const during = acts.filter((a) => a.acceptedAt >= stopAt && a.acceptedAt <= startAt);
  const answered503 = acts.reduce((n, a) => n + a.retried.filter((s) => s === 503).length, 0);
  const actAudit = await auditActs(stack, acts);
  const behind = await readModelBehind(stack, ids);
  const emails = await auditEmails(stack, ids);
  const slowest = Math.max(...dbProbes.map((p) => p.r.ms));
  const failures = [
    ...actErrors.map((e) => `act failed: ${e}`),
    ...not503.map(
      (p) => `${p.what} during the outage answered ${p.r.status} ${p.r.contentType}: ${p.r.text.slice(0, 200)}`,
    ),
    ...health.filter((p) => p.r.status !== 200).map((p) => `GET /healthz during the outage answered ${p.r.status}`),
    ...ready.filter((p) => p.r.status !== 503).map((p) => `GET /readyz during the outage answered ${p.r.status}`),
    ...(caughtUp ? [] : ['the read model did not catch up within 5 minutes']),
    // Decisions need only Temporal; the API authenticates a recently seen token without MongoDB.
    ...(during.length > 0 ? [] : ['no decision was accepted while FerretDB was down']),
    ...commonFailures(actAudit, emails, stuck, behind, ids, exitsBefore),
  ];
  recordSection({
    id: 'ferretdb-outage',
    title: 'FerretDB stopped for 30 s',
    injected,
    figures: {
      'API requests during the outage': probes.length,
      'of those needing the database, answered 503 problem+json with Retry-After': `${dbProbes.length - not503.length} of ${dbProbes.length}`,
      'slowest 503 (s)': (slowest / 1000).toFixed(1),
      'GET /healthz answered 200': `${health.filter((p) => p.r.status === 200).length} of ${health.length}`,
      'acts accepted': actAudit.accepted,
      'acts accepted while FerretDB was down': during.length,
      'act attempts answered 503 and retried': answered503,
      'acts lost': actAudit.lost.length,
      'acts duplicated': actAudit.duplicated.length,
      'read model caught up, seconds after FerretDB was back': caughtUp
        ? ((caughtUp - startAt) / 1000).toFixed(1)
        : 'never',
      'workflows completed': ids.length - stuck.length,
      ...emailFigures(emails),
    },
    notes: [
      during.length === 0
        ? 'No act can be accepted while MongoDB is down: authentication reads the API token from MongoDB on every request, so acts are refused with 503 and succeed on retry. Acts accepted just before the outage were recorded once it ended (the recording activity retries without limit).'
        : `${during.length} acts were accepted while FerretDB was down (authenticated before it went); "acts lost" says whether every accepted act reached the audit trail.`,
    ],
    failures,
    durationS: (Date.now() - started) / 1000,
  });
  expect(failures).toEqual([]);
});

test('the SMTP sink stopped for a minute: every email is delivered afterwards, once', async () => {
  const started = Date.now();
  ASKED = 'maildev';
  const exitsBefore = stack.exits().length;
  const prefix = runPrefix('smtp');
  const ids = Array.from({ length: 6 }, (_, i) => `${prefix}-${i}`);
  const acts: ActRecord[] = [];
  const stopAt = Date.now();
  await stack.services.maildev.stop();
  const injected = ['t=0 s: MailDev (SMTP sink) stopped (SIGTERM)'];
  const actErrors: string[] = [];
  await Promise.all(
    ids.map((id, i) =>
      signoffRound(stack, id, i, 'consensus', acts).catch((err: Error) => actErrors.push(err.message)),
    ),
  );
  const ready = await call(stack, null, 'GET', '/readyz', undefined, OPERATOR_AUTH);
  // The sink stays down a minute, and until every email of the rounds is queued (the recording may lag), so each one meets the outage.
  await eventually(
    "the rounds' emails to be queued",
    async () => (await stack.outbox.countDocuments({ initiativeId: { $in: ids } })) >= roundEmails * ids.length,
    300_000,
    2000,
  ).catch(() => undefined);
  const queuedWhileDown = await stack.outbox.countDocuments({ initiativeId: { $in: ids } });
  const sentWhileDown = await stack.outbox.countDocuments({ initiativeId: { $in: ids }, status: 'sent' });
  injected.push(
    `${ids.length} whole rounds run while it was down: ${acts.length} acts, done at t=${secondsSince(stopAt)} s`,
  );
  await sleep(Math.max(0, 60_000 - (Date.now() - stopAt)));
  const startAt = Date.now();
  await stack.services.maildev.start();
  injected.push(`t=${secondsSince(stopAt)} s: MailDev started again on the same ports`);

  const drained = await eventually(
    'every email to be sent',
    async () => ((await outboxSettled(stack, ids)) ? Date.now() : undefined),
    300_000,
    2000,
  ).catch(() => undefined);
  const stuck = await untilCompleted(stack, ids);
  const actAudit = await auditActs(stack, acts);
  const behind = await readModelBehind(stack, ids);
  const emails = await auditEmails(stack, ids);
  const failures = [
    ...actErrors.map((e) => `act failed: ${e}`),
    ...(ready.status === 503 && ready.body?.checks?.smtp === 'unreachable'
      ? []
      : [`GET /readyz while the sink was down answered ${ready.status} ${ready.text.slice(0, 200)}`]),
    ...(sentWhileDown === 0 ? [] : [`${sentWhileDown} emails marked sent while no SMTP server listened`]),
    ...(drained ? [] : ["the outbox did not drain within 5 minutes of the sink's return"]),
    ...(emails.byStatus.failed ? [`${emails.byStatus.failed} emails marked failed`] : []),
    ...commonFailures(actAudit, emails, stuck, behind, ids, exitsBefore),
  ];
  recordSection({
    id: 'smtp-outage',
    title: 'SMTP sink stopped for a minute (and until every email of the rounds was queued)',
    injected,
    figures: {
      'acts accepted': actAudit.accepted,
      'acts accepted while the sink was down': acts.filter((a) => a.acceptedAt < startAt).length,
      'acts lost': actAudit.lost.length,
      'acts duplicated': actAudit.duplicated.length,
      'emails queued while the sink was down': queuedWhileDown,
      ...emailFigures(emails),
      'all delivered, seconds after the sink was back': drained ? ((drained - startAt) / 1000).toFixed(1) : 'never',
      'workflows completed': ids.length - stuck.length,
    },
    failures,
    durationS: (Date.now() - started) / 1000,
  });
  expect(failures).toEqual([]);
});

test('concurrent duplicate acts and retries with the same Idempotency-Key: exactly one takes effect', async () => {
  const started = Date.now();
  ASKED = '';
  const exitsBefore = stack.exits().length;
  const id = `${runPrefix('idem')}-0`;
  const acts: ActRecord[] = [];
  const failures: string[] = [];
  const counts = async (type: string, state?: string) =>
    stack.events.countDocuments({ initiativeId: id, type, ...(state ? { 'data.state': state } : {}) });
  const statuses = (rs: Reply[]) =>
    rs
      .map((r) => r.status)
      .sort()
      .join(',');
  let requests = 0;
  const burst = async (n: number, f: () => Promise<Reply>) => {
    requests += n;
    return Promise.all(Array.from({ length: n }, f));
  };

  // 20 concurrent starts of one initiative.
  const startBody = {
    id,
    title: `Idempotency ${id}`,
    proposingState: 'KZ',
    summit: 'tashkent-2025',
    category: 'transport',
  };
  const starts = await burst(20, () => call(stack, 'secretariat', 'POST', '/api/initiatives', startBody));
  if (starts.filter((r) => r.status === 201).length !== 1 || starts.filter((r) => r.status === 200).length !== 19)
    failures.push(`20 concurrent starts answered ${statuses(starts)}; expected one 201 and nineteen 200`);
  acts.push({
    initiativeId: id,
    act: 'start',
    person: 'secretariat',
    body: startBody,
    status: 201,
    attempts: 1,
    retried: [],
    acceptedAt: Date.now(),
  });
  const runs = [];
  for await (const w of stack.temporal.workflow.list({ query: `WorkflowId = 'initiative-${id}'` })) runs.push(w.runId);
  if (runs.length !== 1) failures.push(`${runs.length} workflow runs for one initiative`);

  await actUntilSettled(
    stack,
    {
      initiativeId: id,
      act: 'assign',
      person: 'secretariat',
      path: `/api/initiatives/${id}/assignment`,
      key: `${id}.assign`,
      body: {
        leadState: 'KZ',
        officialId: 'official-kz',
        draftDueAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      },
    },
    { log: acts },
  );
  // The same draft twice at once, each with its own key: one opens revision 1, the other is refused or opens nothing new.
  const draftBody = { title: 'Draft 1', link: 'https://example.org/idem/1' };
  const drafts = await burst(2, () =>
    call(stack, 'official-kz', 'POST', `/api/initiatives/${id}/drafts`, draftBody, {
      'idempotency-key': `${id}.draft.${Math.random().toString(36).slice(2)}`,
    }),
  );
  if (drafts.filter((r) => r.status === 200).length !== 1)
    failures.push(
      `two concurrent drafts with different keys answered ${statuses(drafts)}; expected one 200 and one 409`,
    );
  acts.push({
    initiativeId: id,
    act: 'draft',
    person: 'official-kz',
    body: draftBody,
    status: 200,
    attempts: 1,
    retried: [],
    acceptedAt: Date.now(),
    view: drafts.find((r) => r.status === 200)?.body,
  });

  const decide = (state: string, decision = 'approve', key?: string) =>
    call(
      stack,
      `rep-${state.toLowerCase()}`,
      'POST',
      `/api/initiatives/${id}/decisions`,
      { state, decision, revision: 1, ...(decision === 'approve' ? {} : { reason: 'a second thought' }) },
      key ? { 'idempotency-key': key } : {},
    );
  // 10 concurrent identical decisions without a key (a double-clicking client): one is taken, the rest refused.
  const noKey = await burst(10, () => decide('KZ'));
  if (
    noKey.filter((r) => r.status === 200).length !== 1 ||
    noKey.filter((r) => r.status === 409 && r.body?.code === 'already_decided').length !== 9
  )
    failures.push(
      `10 concurrent identical decisions without a key answered ${statuses(noKey)}; expected one 200 and nine 409 already_decided`,
    );
  // 10 concurrent with one key, then 5 retries with it: all answer the first result.
  const sameKey = await burst(10, () => decide('KG', 'approve', `${id}.KG.r1`));
  const retries: Reply[] = [];
  for (let i = 0; i < 5; i++) retries.push(await decide('KG', 'approve', `${id}.KG.r1`));
  requests += 5;
  const keyed = [...sameKey, ...retries];
  const versions = new Set(keyed.map((r) => r.body?.version));
  if (keyed.some((r) => r.status !== 200) || versions.size !== 1)
    failures.push(
      `15 requests with one Idempotency-Key answered ${statuses(keyed)} with versions ${[...versions].join(',')}; expected 200 and one version`,
    );
  // The same key with a different body, by its author and by another representative: refused, the first act stands.
  const first = await decide('TJ', 'approve', `${id}.TJ.r1`);
  const reused = await decide('TJ', 'object', `${id}.TJ.r1`);
  const byOther = await burst(5, () => decide('UZ', 'object', `${id}.TJ.r1`));
  requests += 2;
  if (first.status !== 200 || reused.status !== 422 || reused.body?.type?.endsWith('idempotency-key-reused') !== true) {
    failures.push(
      `a key reused with another body answered ${first.status} then ${reused.status} ${String(reused.body?.type)}; expected 200 then 422 idempotency-key-reused`,
    );
  }
  if (byOther.some((r) => r.status !== 422))
    failures.push(`5 concurrent decisions by UZ with TJ's key answered ${statuses(byOther)}; expected 422 each`);
  for (const [state, r] of [
    ['KZ', noKey.find((x) => x.status === 200)],
    ['KG', sameKey[0]],
    ['TJ', first],
  ] as const) {
    acts.push({
      initiativeId: id,
      act: 'decide',
      person: `rep-${state.toLowerCase()}`,
      body: { state, revision: 1 },
      status: 200,
      attempts: 1,
      retried: [],
      acceptedAt: Date.now(),
      view: r?.body,
    });
  }

  // The rest approve, then 10 concurrent completions with one key.
  for (const state of ['AZ', 'TM', 'UZ'])
    await actUntilSettled(
      stack,
      {
        initiativeId: id,
        act: 'decide',
        person: `rep-${state.toLowerCase()}`,
        path: `/api/initiatives/${id}/decisions`,
        key: `${id}.${state}.r1`,
        body: { state, decision: 'approve', revision: 1 },
      },
      { log: acts },
    );
  const completions = await burst(10, () =>
    call(
      stack,
      'secretariat',
      'POST',
      `/api/initiatives/${id}/completion`,
      { note: 'done' },
      { 'idempotency-key': `${id}.complete` },
    ),
  );
  if (completions.some((r) => r.status !== 200))
    failures.push(`10 concurrent completions with one key answered ${statuses(completions)}`);
  acts.push({
    initiativeId: id,
    act: 'complete',
    person: 'secretariat',
    body: {},
    status: 200,
    attempts: 1,
    retried: [],
    acceptedAt: Date.now(),
  });
  requests += acts.filter((a) => a.act === 'assign' || ['AZ', 'TM', 'UZ'].includes(String(a.body.state))).length;

  const stuck = await untilCompleted(stack, [id]);
  await untilDone(() => outboxOpen(stack, [id]));
  // Recorded once the workflow is done (the audit trail is written after the API answers).
  for (const state of ['KZ', 'KG', 'TJ', 'UZ']) {
    const n = await counts('decided', state);
    if (n !== 1) failures.push(`${n} decisions of ${state} recorded; expected 1`);
  }
  const decisionOf = (e: { data?: unknown } | null) => (e?.data as { decision?: string } | undefined)?.decision;
  const tj = await stack.events.findOne({ initiativeId: id, type: 'decided', 'data.state': 'TJ' }).lean();
  if (decisionOf(tj) !== 'approve')
    failures.push(`TJ's recorded decision is ${String(decisionOf(tj))}, not the first request's approve`);
  const uz = await stack.events.findOne({ initiativeId: id, type: 'decided', 'data.state': 'UZ' }).lean();
  if (decisionOf(uz) !== 'approve')
    failures.push(
      `UZ's recorded decision is ${String(decisionOf(uz))}, not its own key's approve: an objection sent with TJ's key took effect`,
    );
  const actAudit = await auditActs(stack, acts);
  const behind = await readModelBehind(stack, [id]);
  const emails = await auditEmails(stack, [id]);
  failures.push(...commonFailures(actAudit, emails, stuck, behind, [id], exitsBefore));
  recordSection({
    id: 'idempotency',
    title: 'Concurrent duplicate acts and retries with one Idempotency-Key',
    injected: [
      '20 concurrent starts of one initiative',
      'two concurrent drafts, each with its own key',
      '10 concurrent identical decisions without a key',
      '10 concurrent decisions with one key, then 5 retries with it',
      'one key sent again with a different decision by its author',
      '5 concurrent objections by another representative with that key',
      '10 concurrent completions with one key',
    ],
    figures: {
      requests,
      'acts accepted': actAudit.accepted,
      'acts lost': actAudit.lost.length,
      'acts duplicated': actAudit.duplicated.length,
      'workflow runs for the initiative': runs.length,
      ...emailFigures(emails),
    },
    notes: [
      'A key belongs to its author and its request: sent again with another body, or by another person, it is refused with 422 and changes nothing; an honest retry answers the first result.',
    ],
    failures,
    durationS: (Date.now() - started) / 1000,
  });
  expect(failures).toEqual([]);
});
