/**
 * What this suite found while it was written, and what became of each: kept by hand next to the
 * suite, printed at the end of docs/reliability.md. Failures of a run are listed in their section.
 */
export interface Finding {
  title: string;
  status: 'fixed' | 'partly fixed' | 'open' | 'by design, measured';
  detail: string;
}

export const FINDINGS: Finding[] = [
  {
    title: 'SIGKILL of the worker did not kill the worker',
    status: 'fixed',
    detail:
      'The worker and the API ran under the tsx launcher, which runs the program in a child process of its own: a SIGKILL (or an OOM kill) of the ' +
      "process the stack held killed the launcher and left the real worker polling, orphaned, and out of reach of `npm start`'s Ctrl-C. " +
      'src/stack/application.ts now runs each as one `node --import tsx` process.',
  },
  {
    title: 'Restarting the SMTP sink forgot every email',
    status: 'fixed',
    detail:
      'MailDev keeps mail in memory (its files go to a /tmp/maildev shared by every MailDev on the machine, never read back), so nothing could be counted across a sink restart. ' +
      'The embedded stack takes `persistMail` (MailDev `--mail-directory` in the data folder, loaded again on start), which the suite uses.',
  },
  {
    title: 'A due date near year 10000 wedged the workflow',
    status: 'fixed',
    detail:
      'The API accepted any ISO instant, e.g. `assignmentDueAt: 9999-12-31T23:59:59Z`. In Asia/Almaty that is 10000-01-01, which src/domain/time.ts cannot express as a four-digit ' +
      'local date: reminder planning threw inside the workflow, every workflow task failed, the start request hung (the API waited on a query) and later acts answered 503. ' +
      'src/app/schemas.ts refuses due dates from 2200 on (422), and so does the workflow itself (src/domain/initiative.ts `LATEST_DUE`), whatever path started it.',
  },
  {
    title: 'The same email delivered twice: conditional updates are not atomic on FerretDB',
    status: 'fixed',
    detail:
      'FerretDB 1.24 (SQLite) runs `updateOne(filter, update)` as a query, an update in memory and a write of the whole document by `_id` in a separate transaction ' +
      '(internal/handler/common/update.go). Two attempts claiming one email with `updateOne({ _id, status: "pending" }, { $set: { status: "sending" } })` both matched and both sent: ' +
      'in the first 50-round run 94 notification keys reached the sink twice. An email is now claimed by inserting a document keyed by its outbox id into `email_claims` ' +
      '(atomic on FerretDB and MongoDB alike: SQLite enforces the primary key), and every write on the delivery and recording paths filters on `_id` alone.',
  },
  {
    title: 'Every write on the hot path scanned a whole collection on FerretDB',
    status: 'fixed',
    detail:
      'FerretDB 1.24 on SQLite pushes a filter down to SQL only when it is exactly `{_id}` (internal/backends/sqlite/collection.go); any other filter reads and decodes every document in Go. ' +
      "The delivery's claim and record (`{_id, status}`, `{_id, attemptId, status}`), the read model's version guard (`{_id, version: {$lt}}`) and the .ics SEQUENCE look-up " +
      '(`{initiativeId, step}`) each scanned the outbox or the read model: 10 to 29 s per call with 950 outbox documents. They now read and write by `_id` alone: the SEQUENCE ' +
      'of each (initiative, step) lives in one document of `calendar_sequences`, and an email is queued by one insert instead of a look-up and an upsert.',
  },
  {
    title: 'Writers starved one another in FerretDB\'s SQLite ("database is locked")',
    status: 'fixed',
    detail:
      'Under 50 concurrent rounds FerretDB failed hundreds of writes with SQLITE_BUSY after its 10 s busy timeout: each write is a deferred transaction with an fsync at commit, and the worker ' +
      "ran up to 100 activities at once. The embedded stack now opens FerretDB's SQLite with BEGIN IMMEDIATE, synchronous=NORMAL in WAL mode (safe against any process crash) and a 30 s " +
      'busy timeout, the Temporal dev server with WAL and synchronous=NORMAL, and a worker runs at most 16 activities at once (WORKER_MAX_CONCURRENT_ACTIVITIES). No write failed in later runs.',
  },
  {
    title: 'A slow database turned email sends into "unconfirmed" without any crash',
    status: 'fixed',
    detail:
      "activities/deliver.ts sent a workflow's batch of emails inside one attempt with a 1-minute start-to-close timeout and no heartbeat: on a slow database the attempt outlived its " +
      'timeout and the retry flagged the emails it found claimed. The activity now heartbeats once per email with a 20 s heartbeat timeout and a 15-minute start-to-close timeout, ' +
      'so a dead process is noticed in seconds and a long batch is not cut short.',
  },
  {
    title: 'A worker crash inside an SMTP transaction lost the email',
    status: 'fixed',
    detail:
      'Delivery is at most once: an email whose claiming attempt died before recording the outcome is flagged `unconfirmed` for the Secretariat and never sent again, because a transaction ' +
      'cut short cannot be told from one the server accepted just before the crash. With sends in the worker, every SIGKILL landed in some SMTP transaction: 131 emails unconfirmed in the first run. ' +
      "Emails now leave from a mailer process on a task queue of its own (workflows/task-queues.ts, `patched('mail-task-queue')`), so worker crashes and deploys never cut a transaction short. " +
      'A crash of the mailer itself still flags the emails it was sending at that instant (one per concurrent send at most); this suite does not kill the mailer.',
  },
  {
    title: 'Recording stalled for good after a FerretDB outage under load',
    status: 'fixed',
    detail:
      'After FerretDB came back, nothing further was recorded on the outage stack although the API accepted every act. Operations in flight when the database went away could wait forever ' +
      "(the driver has no socket or pool-wait timeout by default), each holding one of the worker's activity slots. The connection now gives up after 60 s on a socket and 30 s waiting for " +
      'a pooled connection (src/persistence/connection.ts), and Temporal retries the activity.',
  },
  {
    title: 'No act could be accepted while MongoDB was down',
    status: 'partly fixed',
    detail:
      'src/api/auth.ts read the API token and the person from MongoDB on every request, so during an outage every signed-in request answered 503, including decisions, which need only Temporal. ' +
      'Whom a token belongs to is now kept for 5 s in the API process (a revocation made through another process applies within 5 s), which also takes two reads off every request; ' +
      'an act in the first 5 s of an outage passes, later ones answer 503 with Retry-After and the client retries.',
  },
];
