/**
 * The scripted life of an initiative that the fault scenarios run many times at once: started, assigned,
 * a draft, a national sign-off round of the six member states (optionally with a change request and a
 * second revision), and completion. Every act carries an Idempotency-Key and is retried until settled.
 */
import { type ActRecord, actUntilSettled, type FaultStack } from './fault-stack';

// A failing run can be repeated with FAULT_SEED.
import { seededRandom } from '../../../bench/lib/seeded-random';
export { seededRandom };

export const STATES = ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'] as const;
const DAY = 86_400_000;

/** consensus: all six approve revision 1. changes: one state asks for changes first, then all approve revision 2. */
export type Variant = 'consensus' | 'changes';

export function runSeed(): number {
  const fixed = Number(process.env.FAULT_SEED);
  return Number.isInteger(fixed) && fixed > 0 ? fixed : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** The run's random timing, repeated by FAULT_SEED: `between(lo, hi)` is a whole number in [lo, hi]. */
export function seededTiming(seed: number): { between: (lo: number, hi: number) => number } {
  const random = seededRandom(seed);
  return { between: (lo, hi) => Math.round(lo + random() * (hi - lo)) };
}

/** Seconds since `t` (ms), for the injected-fault lines of the report. */
export const secondsSince = (t: number): string => ((Date.now() - t) / 1000).toFixed(1);

export function runPrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}`;
}

type Stack = Pick<FaultStack, 'apiUrl' | 'tokens'>;

/** Starts an initiative and takes it to national sign-off on revision 1; returns the lead state. */
export async function toSignoff(
  stack: Stack,
  id: string,
  lead: string,
  log: ActRecord[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  const official = `official-${lead.toLowerCase()}`;
  const base = `/api/initiatives/${id}`;
  await actUntilSettled(
    stack,
    {
      initiativeId: id,
      act: 'start',
      person: 'secretariat',
      path: '/api/initiatives',
      body: {
        id,
        title: `Fault round ${id}`,
        proposingState: lead,
        summit: 'tashkent-2025',
        category: 'transport',
        ...extra,
      },
    },
    { log },
  );
  await actUntilSettled(
    stack,
    {
      initiativeId: id,
      act: 'assign',
      person: 'secretariat',
      path: `${base}/assignment`,
      key: `${id}.assign`,
      body: { leadState: lead, officialId: official, draftDueAt: new Date(Date.now() + 10 * DAY).toISOString() },
    },
    { log },
  );
  await actUntilSettled(
    stack,
    {
      initiativeId: id,
      act: 'draft',
      person: official,
      path: `${base}/drafts`,
      key: `${id}.draft1`,
      body: { title: 'Draft 1', link: `https://example.org/${id}/1` },
    },
    { log },
  );
}

/** All six states decide on a revision at once. */
export async function allApprove(
  stack: Stack,
  id: string,
  revision: number,
  log: ActRecord[],
  except: string[] = [],
): Promise<void> {
  await Promise.all(
    STATES.filter((s) => !except.includes(s)).map((state) =>
      actUntilSettled(
        stack,
        {
          initiativeId: id,
          act: 'decide',
          person: `rep-${state.toLowerCase()}`,
          path: `/api/initiatives/${id}/decisions`,
          key: `${id}.${state}.r${revision}`,
          body: { state, decision: 'approve', revision },
        },
        { log },
      ),
    ),
  );
}

export async function complete(stack: Stack, id: string, log: ActRecord[]): Promise<void> {
  await actUntilSettled(
    stack,
    {
      initiativeId: id,
      act: 'complete',
      person: 'secretariat',
      path: `/api/initiatives/${id}/completion`,
      key: `${id}.complete`,
      body: { note: 'done' },
    },
    { log },
  );
}

/** The whole round, from start to completion. */
export async function signoffRound(
  stack: Stack,
  id: string,
  index: number,
  variant: Variant,
  log: ActRecord[],
): Promise<void> {
  const lead = STATES[index % STATES.length];
  await toSignoff(stack, id, lead, log);
  let revision = 1;
  if (variant === 'changes') {
    const asker = STATES[(index + 1) % STATES.length];
    await actUntilSettled(
      stack,
      {
        initiativeId: id,
        act: 'decide',
        person: `rep-${asker.toLowerCase()}`,
        path: `/api/initiatives/${id}/decisions`,
        key: `${id}.${asker}.r1`,
        body: { state: asker, decision: 'request_changes', revision: 1, reason: 'tighten the customs annex' },
      },
      { log },
    );
    await actUntilSettled(
      stack,
      {
        initiativeId: id,
        act: 'draft',
        person: `official-${lead.toLowerCase()}`,
        path: `/api/initiatives/${id}/drafts`,
        key: `${id}.draft2`,
        body: { title: 'Draft 2', link: `https://example.org/${id}/2` },
      },
      { log },
    );
    revision = 2;
  }
  await allApprove(stack, id, revision, log);
  await complete(stack, id, log);
}
