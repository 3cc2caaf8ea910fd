/**
 * One initiative, from proposal to completion or withdrawal. The rules live in src/domain; this
 * workflow holds the state, accepts acts as updates, wakes for reminders and escalations, and hands
 * every change to activities (audit trail, read model, outbox, email). It does no I/O itself.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../activities';
import { keyUseOf, rememberKeyUse, type KeyUses } from '../src/domain/act-keys';
import { chainEvents } from '../src/domain/audit-chain';
import { SealProblem, sealProblem, SEAL_LIFETIME_MS, type Sealed } from '../src/domain/act-seal';
import { ACT_NAMES, applyAct, validateAct, type ActInput, type ActName } from '../src/domain/acts';
import * as rules from '../src/domain/initiative';
import { isTerminal } from '../src/domain/types';
import { InitiativeView, viewOf } from '../src/domain/view';
import * as msg from './messages';
import { InitiativeStage, LeadState, NextDeadline, PendingStates } from './search-attributes';
import { SEAL_KEY } from './seal-key';
import { DELIVERY_OPTIONS, mailQueueOptions } from './task-queues';

type Activities = ReturnType<typeof createActivities>;

/** Writes to MongoDB: retried without limit, so an outage delays the read model and loses nothing. */
/**
 * Records a change and queues its emails. It beats once per email: a worker that dies is noticed within the
 * heartbeat timeout, while a recording that a loaded database makes slow is not cut short and started again
 * beside itself (the attempt timed out would go on running in its worker, and the two would double the load).
 */
const RECORD_OPTIONS = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;
const { recordChanges } = proxyActivities<Activities>(RECORD_OPTIONS);

export type InitiativeWorkflowArgs =
  /** The API's start, sealed (src/domain/act-seal.ts): the recording activity verifies the seal before it records anything. */
  | { start: Sealed<rules.InitiativeInput> }
  /** After continue-as-new: the state, the changes not yet recorded, and the idempotency keys seen. */
  | { carried: rules.InitiativeState; unrecorded: Unrecorded[]; keys?: KeyUses };

/**
 * A change not yet recorded, with the view as it stood right after it: a second act may arrive while the first is
 * being recorded, and each recording must describe its own change (the calendar follow-ups, the version the
 * read model and the email ids are keyed by), not the state the workflow has reached since. Absent on changes
 * carried from runs before the patch view-per-change: they are recorded with the view of the moment.
 */
type Unrecorded = rules.Changes & { view?: InitiativeView };

/** A view kept as it is now: the state's objects change in place as later acts apply. */
const snapshot = (view: InitiativeView): InitiativeView => JSON.parse(JSON.stringify(view)) as InitiativeView;

const SEAL_REFUSAL: Record<SealProblem, string> = {
  missing: 'this act carries no seal of the API: acts are accepted only through the API',
  forged: "this act's seal does not verify: it was altered, or not sealed by this deployment's API",
  expired: `this act was sealed more than ${SEAL_LIFETIME_MS / 60_000} minutes ago; send it again through the API`,
};

export async function initiativeWorkflow(args: InitiativeWorkflowArgs): Promise<InitiativeView> {
  const now = () => Date.now();
  let state: rules.InitiativeState;
  const unrecorded: Unrecorded[] = [];
  let keys: KeyUses = {};
  /** The start, until the recording activity has verified its seal with the first changes. */
  let startToVerify: Sealed<rules.InitiativeInput> | undefined;
  if ('start' in args) {
    const { auth, ...input } = args.start;
    // Started at the instant the API sealed the start, so the API's answer is what is stored; the recording
    // activity refuses a seal that does not verify or is out of date before anything is recorded.
    const startedAt = patched('start-at-sealed-instant') && auth ? auth.issuedAt : now();
    const started = rules.startInitiative(input, startedAt);
    state = started.state;
    unrecorded.push(started.changes);
    startToVerify = args.start;
  } else {
    state = args.carried;
    unrecorded.push(...args.unrecorded);
    keys = args.keys ?? {};
  }
  // Runs started before a rule existed keep the old behaviour; replays of their histories stay deterministic.
  if (patched('objection-deadline')) state.features = { ...state.features, objectionDeadline: true };
  if (patched('deputy-notice')) state.features = { ...state.features, deputyNotice: true };
  if (patched('audit-chain')) state.features = { ...state.features, auditChain: true };
  if (patched('silence-acknowledgement')) state.features = { ...state.features, acknowledgement: true };
  if (patched('early-due-reminder')) state.features = { ...state.features, earlyDueReminder: true };
  if (patched('view-per-change')) state.features = { ...state.features, viewPerChange: true };
  /** Queues a change for recording, with its own view once the patch applies. */
  const queueChange = (changes: rules.Changes): void => {
    unrecorded.push(state.features?.viewPerChange ? { ...changes, view: snapshot(viewOf(state)) } : changes);
  };
  // The start (or what a previous run left unrecorded) is recorded with the view of this moment.
  if (state.features?.viewPerChange) for (const c of unrecorded) c.view ??= snapshot(viewOf(state));
  const { deliverNotifications } = proxyActivities<Activities>({ ...DELIVERY_OPTIONS, ...mailQueueOptions() });

  /**
   * Registers an act of the catalogue. When it arrives, the validator checks the API's seal (who acts, on what, with which
   * update id), its idempotency key and the rules; a refusal never enters history. Validators do not run on
   * replay, so the seal is checked there only. The handler checks the rules again when it applies the act;
   * a retry of a keyed act (after continue-as-new, when Temporal no longer knows its update id) changes nothing.
   */
  function act(name: ActName): void {
    type I = ActInput<ActName>;
    const update: UpdateDefinition<InitiativeView, [Sealed<I>]> = msg.actUpdates[name];
    const validate = (s: rules.InitiativeState, input: I, at: number) => validateAct(name, s, input, at);
    const keyUse = (input: Sealed<I>) =>
      input.auth && { key: input.auth.key, fingerprint: input.auth.fingerprint, personId: input.actor.personId };
    const validator = (input: Sealed<I>) =>
      refusalAsFailure(() => {
        const target = {
          workflowId: workflowInfo().workflowId,
          update: update.name,
          updateId: currentUpdateInfo()?.id,
        };
        const problem = sealProblem(SEAL_KEY, target, input, now());
        if (problem) throw new rules.Refusal(rules.RefusalCode.Unsealed, SEAL_REFUSAL[problem]);
        if (keyUseOf(keys, keyUse(input)!) === 'retry') return;
        validate(state, input, now());
      });
    const handle = (input: Sealed<I>) => {
      const use = keyUse(input);
      if (use && refusalAsFailure(() => keyUseOf(keys, use)) === 'retry') return viewOf(state);
      refusalAsFailure(() => validate(state, input, now()));
      queueChange(applyAct(name, state, input, now()));
      if (use) rememberKeyUse(keys, use, now());
      return viewOf(state);
    };
    setHandler(update, handle, { validator });
  }

  for (const name of ACT_NAMES) act(name);
  /** Set when the recording activity refused the start: the run is none of the API's, and shows no state. */
  let forgedStart: ApplicationFailure | undefined;
  setHandler(msg.stateQuery, () => {
    if (forgedStart) throw forgedStart;
    return viewOf(state);
  });

  const deliveries = new Set<Promise<void>>();

  /** Records pending changes in order, then sends their emails in the background. */
  async function recordAll(): Promise<void> {
    while (unrecorded.length > 0) {
      const changes = unrecorded[0];
      if (state.features?.auditChain) state.chain = chainEvents(state.input.id, state.chain, changes.events);
      const view = changes.view ?? viewOf(state);
      const outboxIds = await recordChanges({
        initiativeId: state.input.id,
        events: changes.events,
        notifications: changes.notifications,
        view,
        ...(startToVerify ? { start: startToVerify } : {}),
      }).catch((err: unknown) => {
        const cause = err instanceof ActivityFailure ? err.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === msg.FORGED_START_FAILURE_TYPE) forgedStart = cause;
        throw err;
      });
      startToVerify = undefined;
      unrecorded.shift();
      publishSearchAttributes(view);
      if (outboxIds.length > 0) {
        // Retried without limit; a permanent failure is recorded in the outbox by the activity, not thrown.
        const p: Promise<void> = deliverNotifications(outboxIds)
          .catch(() => undefined)
          .finally(() => deliveries.delete(p));
        deliveries.add(p);
      }
    }
  }

  function performDueDuties(): void {
    for (;;) {
      const due = rules.openDuties(state).find((d) => Date.parse(d.at) <= now());
      if (!due) return;
      queueChange(rules.performDuty(state, due, now()));
    }
  }

  const historyLimit = state.input.continueAsNewAfterEvents;
  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (historyLimit !== undefined && workflowInfo().historyLength >= historyLimit);

  for (;;) {
    performDueDuties();
    await recordAll();
    if (isTerminal(state.stage)) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await recordAll();
      await Promise.all(deliveries);
      if (!isTerminal(state.stage)) {
        await continueAsNew<typeof initiativeWorkflow>({ carried: state, unrecorded, keys });
      }
      continue;
    }
    const next = rules.nextDutyAt(state);
    const wake = () => unrecorded.length > 0;
    if (next === undefined) await condition(wake);
    else {
      const ms = Date.parse(next) - now();
      if (ms > 0) await condition(wake, ms);
    }
  }

  await condition(allHandlersFinished);
  await recordAll();
  await Promise.all(deliveries);
  return viewOf(state);
}

function refusalAsFailure<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof rules.Refusal) {
      throw ApplicationFailure.create({
        type: msg.REFUSAL_FAILURE_TYPE,
        message: err.message,
        details: [err.code],
        nonRetryable: true,
      });
    }
    throw err;
  }
}

function publishSearchAttributes(view: InitiativeView): void {
  upsertSearchAttributes([
    { key: InitiativeStage, value: view.stage },
    { key: LeadState, value: view.lead?.state ?? null },
    { key: PendingStates, value: view.pendingStates.length ? view.pendingStates : null },
    { key: NextDeadline, value: view.nextDueAt ? new Date(view.nextDueAt) : null },
  ]);
}
