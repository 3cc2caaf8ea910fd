/** Use cases of initiatives: start a workflow, perform an act as an update, read the live state and the read model. */
import {
  Client,
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, UpdateDefinition } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { digest, fingerprintOf, seal, sealKeyOf, type Sealed } from '../domain/act-seal';
import { ACTS, ActBody, entitlementProblem, type ActInput, type ActName } from '../domain/acts';
import { Refusal, RefusalCode, startInitiative, type InitiativeInput } from '../domain/initiative';
import { isSecretariat } from '../domain/roles';
import { dayOf, delegationCovers } from '../domain/delegation';
import { DEFAULT_REMINDER_POLICY } from '../domain/reminders';
import { closeOfBusinessOn } from '../domain/time';
import { Actor, DEFAULT_SIGNOFF_POLICY, Role } from '../domain/types';
import { viewOf, type InitiativeView } from '../domain/view';
import type { StartInitiativeBody } from '../app/schemas';
import type { ActBodies, ActRequest } from '../app/act-bodies';
import { AppError, AppErrorCode, appErrors, outageOf } from '../app/errors';
import { calendarOf, calendarYears } from '../calendar/holidays';
import type { Directory, StateDoc } from '../persistence/directory';
import type { InitiativeRepository } from '../persistence/initiatives';
import { workflowIdOf } from '../temporal/client';
import { initiativeWorkflow } from '../../workflows';
import * as msg from '../../workflows/messages';

export interface ServiceDeps {
  client: Client;
  config: Config;
  /** The deployment's APP_SECRET: seals acts and derives idempotency key ids. */
  secret: string;
  directory: Directory;
  /** The read model: the stored view answers when the workflow cannot. */
  initiatives: Pick<InitiativeRepository, 'view'>;
}

/** A slug from a title's Latin letters and digits; empty when the title has too few (then the client sends an id). */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return s.length >= 3 ? s : '';
}

const KNOWN_STATE_TTL_MS = 60_000;

/** An act as operators count it (the catalogue's acts, and the start), with how it ended. */
export type CountedAct = 'start' | ActName;
export type ActOutcome = 'ok' | 'refused' | 'forbidden' | 'invalid' | 'not_found' | 'unavailable' | 'error';

/**
 * Who may attempt an act at all, checked before anything is read or sent, for the API, the web pages and
 * links alike (src/domain/acts.ts). The workflow's rules decide the rest (which stage, whose state or milestone).
 */
export function mayAttempt(act: CountedAct, actor: Actor, request: { state?: unknown } = {}): void {
  const problem =
    act === 'start'
      ? !isSecretariat(actor) &&
        `only the secretariat may start an initiative; ${actor.name} is ${actor.roles.join(', ') || 'without a role'}`
      : entitlementProblem(act, actor, request);
  if (problem) throw appErrors.forbidden(problem);
}

function outcomeOf(err: unknown): ActOutcome {
  if (err instanceof AppError) {
    if (err.code === AppErrorCode.Refused)
      return err.details.refusal === RefusalCode.NotEntitled ? 'forbidden' : 'refused';
    return (
      { invalid: 'invalid', idempotency_key_reused: 'invalid', not_found: 'not_found', forbidden: 'forbidden' } as const
    )[err.code];
  }
  return outageOf(err) ? 'unavailable' : 'error';
}

/**
 * Where an act's idempotency key comes from: a caller's Idempotency-Key header (or a web form's key), or a
 * decision link's nonce. The two never share an id: the key id is an HMAC of the origin and the value.
 */
export type ActKey = { from: 'client' | 'link'; value: string };

/** A caller's key (an Idempotency-Key header or a web form's key) as an ActKey; none when absent. */
export const clientKey = (value: string | undefined): ActKey | undefined =>
  value === undefined ? undefined : { from: 'client', value };

/**
 * An act's Temporal update id: namespaced by act and person, with the key's id (an HMAC under the secret,
 * never the raw key) and the request's fingerprint. The same person retrying the same request with the same
 * key reaches the same id, and Temporal answers with the first result; anything else reaches the workflow,
 * which refuses a key used before by someone else or for another request (src/domain/act-keys.ts).
 */
export function actUpdateId(act: string, personId: string, keyId: string, fingerprint: string): string {
  return `${act}/${personId}/${keyId}/${fingerprint}`;
}

/**
 * An act's update options as the API sends them: the update id, and the input sealed (src/domain/act-seal.ts)
 * with its key id and the fingerprint of `request` (what the caller sent). `now` is when it is sealed: the
 * workflow's clock, which in time-skipping tests runs ahead of the wall clock.
 */
export function sealedAct<I extends { actor: Actor }>(
  secret: string,
  initiativeId: string,
  update: string,
  input: I,
  request: object,
  key: ActKey,
  now = Date.now(),
) {
  const sealKey = sealKeyOf(secret);
  const keyId = digest(`${key.from}:${key.value}`, sealKey);
  const fingerprint = fingerprintOf({ act: update, initiative: initiativeId, request });
  const updateId = actUpdateId(update, input.actor.personId, keyId, fingerprint);
  const sealed = seal(sealKey, { workflowId: workflowIdOf(initiativeId), update, updateId }, input, {
    key: keyId,
    fingerprint,
    issuedAt: now,
  });
  return { args: [sealed] as [Sealed<I>], updateId };
}

/** A start's workflow argument as the API sends it: the input sealed for its workflow id; `request` is what the caller sent. */
export function sealedStart(
  secret: string,
  input: InitiativeInput,
  request: object,
  now = Date.now(),
): { start: Sealed<InitiativeInput> } {
  return {
    start: seal(sealKeyOf(secret), { workflowId: workflowIdOf(input.id) }, input, {
      key: 'start',
      fingerprint: fingerprintOf(request),
      issuedAt: now,
    }),
  };
}

export function createInitiativeService(deps: ServiceDeps) {
  const { client, config, directory } = deps;
  const observers = new Set<(act: CountedAct, outcome: ActOutcome) => void>();

  /** Runs an act's use case after its gate, and tells the observers (the API's metrics) how it ended. */
  async function attempt<T>(name: CountedAct, actor: Actor, body: object, run: () => Promise<T>): Promise<T> {
    try {
      mayAttempt(name, actor, body);
      const result = await run();
      for (const o of observers) o(name, 'ok');
      return result;
    } catch (err) {
      for (const o of observers) o(name, outcomeOf(err));
      throw err;
    }
  }
  const handleOf = (id: string) => client.workflow.getHandle<typeof initiativeWorkflow>(workflowIdOf(id));

  async function requireState(code: string, field: string) {
    const s = await directory.state(code);
    if (!s) throw appErrors.invalid([{ field, message: `unknown state ${code}` }]);
    return s;
  }

  /**
   * For a start, which only needs the proposing state to exist: no state is ever removed from the directory
   * (a member that leaves gets a leftOn date), so a code found once is taken as known for a minute before it
   * is read again. Codes not found are read every time, so a state just added is usable at once.
   */
  const knownStates = new Map<string, number>();
  async function requireKnownState(code: string, field: string): Promise<void> {
    if ((knownStates.get(code) ?? 0) > Date.now()) return;
    await requireState(code, field);
    knownStates.set(code, Date.now() + KNOWN_STATE_TTL_MS);
  }

  async function requirePerson(id: string, field: string) {
    const p = await directory.person(id);
    if (!p) throw appErrors.invalid([{ field, message: `unknown person ${id}` }]);
    return p;
  }

  /**
   * What the workflow receives for an act: the request with the actor, and what the directory knows of the
   * states and people it names. Bodies not listed here go as they are.
   */
  const prepare: { [B in ActBody]?: (actor: Actor, body: ActBodies[B]) => Promise<object> } = {
    assignment: async (actor, body) => {
      const state = await requireState(body.leadState, 'leadState');
      const official = await requirePerson(body.officialId, 'officialId');
      if (official.state !== body.leadState) {
        throw appErrors.invalid([
          {
            field: 'officialId',
            message: `${official.name} works for ${official.state ?? 'no state'}, not the lead state ${body.leadState}`,
          },
        ]);
      }
      return {
        actor,
        leadState: state._id,
        leadTimeZone: state.timeZone,
        leadCalendar: memberWithCalendar(state).calendar,
        officialId: official._id,
        officialName: official.name,
        draftDueAt: new Date(body.draftDueAt).toISOString(),
      };
    },
    draft: async (actor, body) => {
      // The states that are members on the day the round opens, at the Secretariat's seat.
      const members = await directory.membersOn(dayOf(new Date(), config.SECRETARIAT_TIME_ZONE));
      return { actor, ...body, members: members.map(memberWithCalendar) };
    },
    deadline: async (actor, body) => ({
      actor,
      ...body,
      ...(body.dueAt !== undefined ? { dueAt: new Date(body.dueAt).toISOString() } : {}),
    }),
    milestone: async (actor, body) => {
      const owner = await requirePerson(body.ownerId, 'ownerId');
      const ownerState = owner.state ? await directory.state(owner.state) : null;
      return {
        actor,
        id: body.id ?? (slugify(body.title) || `m${Date.now().toString(36)}`),
        title: body.title,
        ownerId: owner._id,
        ownerName: owner.name,
        ownerState: owner.state ?? '',
        ownerTimeZone: owner.timeZone ?? ownerState?.timeZone ?? config.SECRETARIAT_TIME_ZONE,
        dueAt: new Date(body.dueAt).toISOString(),
      };
    },
  };

  /**
   * Performs an act of the catalogue as a workflow update, sealed so that the workflow knows the API
   * established the actor. Without a key the act gets a random one, so the workflow remembers every act and
   * no seal can be replayed.
   */
  async function perform<N extends ActName>(
    name: N,
    id: string,
    actor: Actor,
    request: ActRequest<N>,
    key: ActKey = { from: 'client', value: `random:${randomBytes(16).toString('base64url')}` },
  ): Promise<InitiativeView> {
    return attempt(name, actor, request, async () => {
      const body: ActBody = ACTS[name].body;
      const prepared = prepare[body] as ((actor: Actor, body: ActRequest<N>) => Promise<object>) | undefined;
      const input = prepared ? await prepared(actor, request) : { actor, ...request };
      try {
        return await handleOf(id).executeUpdate(
          msg.actUpdates[name] as UpdateDefinition<InitiativeView, [Sealed<object>]>,
          sealedAct(deps.secret, id, name, input as ActInput<N>, request, key),
        );
      } catch (err) {
        throw translateTemporalError(err, id);
      }
    });
  }

  return {
    /** Tells `observer` of every act attempted, by name and outcome. */
    observeActs(observer: (act: CountedAct, outcome: ActOutcome) => void): void {
      observers.add(observer);
    },
    start: (actor: Actor, body: StartInitiativeBody) => attempt('start', actor, body, () => start(actor, body)),
    get,
    perform,
  };

  async function start(
    actor: Actor,
    body: StartInitiativeBody,
  ): Promise<{ created: boolean; initiative: InitiativeView }> {
    const id = body.id ?? slugify(body.title);
    if (!id) throw appErrors.invalid([{ field: 'id', message: 'the title gives no usable slug; send an id' }]);
    await requireKnownState(body.proposingState, 'proposingState');
    const now = Date.now();
    const input: InitiativeInput = {
      id,
      title: body.title,
      summary: body.summary,
      ...(body.titleRu ? { titleRu: body.titleRu } : {}),
      ...(body.summaryRu ? { summaryRu: body.summaryRu } : {}),
      proposingState: body.proposingState,
      summit: body.summit,
      category: body.category,
      source: body.source,
      policy: { rule: body.policy ?? DEFAULT_SIGNOFF_POLICY.rule, silenceProcedure: body.silenceProcedure ?? false },
      reminders: {
        ...DEFAULT_REMINDER_POLICY,
        offsetsMs: body.reminders?.offsetsMs ?? [...DEFAULT_REMINDER_POLICY.offsetsMs],
        alignLocalTime: body.reminders?.alignLocalTime ?? config.REMINDER_ALIGN_LOCAL_TIME,
      },
      timing: {
        assignmentDueAt: body.assignmentDueAt
          ? new Date(body.assignmentDueAt).toISOString()
          : closeOfBusinessOn(now + config.ASSIGNMENT_PERIOD_MS, now, config.SECRETARIAT_TIME_ZONE).toISOString(),
        signoffPeriodMs: config.SIGNOFF_PERIOD_MS,
        redraftPeriodMs: config.REDRAFT_PERIOD_MS,
        escalationIntervalMs: config.ESCALATION_INTERVAL_MS,
      },
      secretariatTimeZone: config.SECRETARIAT_TIME_ZONE,
      startedBy: actor,
    };
    if (Date.parse(input.timing.assignmentDueAt) <= now) {
      throw appErrors.invalid([{ field: 'assignmentDueAt', message: 'must be in the future' }]);
    }
    // The workflow's first view comes from the same rule run on the same input at the same instant (the
    // one the start is sealed with: startInitiative, then viewOf), so the answer is what the workflow
    // stores without waiting for its first task; and input the rule refuses is refused here, before a
    // workflow exists.
    let first: InitiativeView;
    try {
      first = viewOf(startInitiative(input, now).state);
    } catch (err) {
      if (err instanceof Refusal) throw appErrors.refused(err.code, err.message);
      throw err;
    }
    try {
      await client.workflow.start(initiativeWorkflow, {
        workflowId: workflowIdOf(id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [sealedStart(deps.secret, input, body, now)],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Started before (perhaps with other fields, and moved on since): its live state.
      const initiative = await get(id);
      if (!initiative) throw appErrors.notFound(`initiative ${id}`);
      return { created: false, initiative };
    }
    return { created: true, initiative: first };
  }

  /** The live state from the workflow, or the read model when the workflow cannot answer (closed and its worker gone). */
  async function get(id: string): Promise<InitiativeView | null> {
    try {
      return await handleOf(id).query(msg.stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      const stored = await deps.initiatives.view(id);
      if (stored) return stored;
      // The run's query failed: its start was refused (workflows/messages.ts FORGED_START_FAILURE_TYPE), and
      // nothing of it is on record.
      if (err instanceof QueryNotRegisteredError) return null;
      throw err;
    }
  }
}
export type InitiativeService = ReturnType<typeof createInitiativeService>;

/** A refused act is a 409 naming the workflow's reason (a reused Idempotency-Key a 422); a missing initiative a 404. */
export function translateTemporalError(err: unknown, id: string): unknown {
  if (err instanceof WorkflowNotFoundError) return appErrors.notFound(`initiative ${id}`);
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === msg.REFUSAL_FAILURE_TYPE
  ) {
    const code = String(err.cause.details?.[0] ?? 'refused');
    if (code === RefusalCode.IdempotencyKeyReused) return appErrors.idempotencyKeyReused(err.cause.message);
    return appErrors.refused(code, err.cause.message);
  }
  const e = err as { message?: string; code?: number };
  if (/workflow execution already completed/i.test(e.message ?? '')) {
    return appErrors.refused('wrong_stage', `initiative ${id} is closed: no further acts are possible`);
  }
  return err;
}

/** Roles an actor holds on `day` (their local date): a deputy's delegation counts only within its dates. */
/** How far ahead a round's members' calendars reach: a year covers any sign-off period and its extensions. */
const CALENDAR_REACH_MS = 366 * 86_400_000;

/** A member state as a round holds it: its zone and its working calendar for the year ahead. */
export function memberWithCalendar(m: StateDoc) {
  const now = new Date();
  const years = calendarYears(now.toISOString(), new Date(now.getTime() + CALENDAR_REACH_MS).toISOString());
  return { code: m._id, timeZone: m.timeZone, calendar: calendarOf(m._id, m.timeZone, years, m.calendar) };
}

export function actorOf(
  person: {
    _id: string;
    name: string;
    roles: Role[];
    state?: string;
    deputyOf?: string;
    delegation?: { from: string; to: string };
  },
  day: string,
): Actor {
  const delegated = delegationCovers(person, day);
  const roles = person.roles.filter((r) => r !== Role.Deputy || delegated);
  return {
    personId: person._id,
    name: person.name,
    roles,
    state: person.state,
    onBehalfOf: roles.includes(Role.Deputy) ? person.deputyOf : undefined,
  };
}
