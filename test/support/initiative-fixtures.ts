/** Builders for initiative inputs and actors shared by the domain and workflow tests. */
import * as rules from '../../src/domain/initiative';
import { DAY_MS, DEFAULT_REMINDER_POLICY } from '../../src/domain/reminders';
import type { Actor, MemberState, SignoffPolicy } from '../../src/domain/types';

export const MEMBERS_2026: MemberState[] = [
  { code: 'AZ', timeZone: 'Asia/Baku' },
  { code: 'KG', timeZone: 'Asia/Bishkek' },
  { code: 'KZ', timeZone: 'Asia/Almaty' },
  { code: 'TJ', timeZone: 'Asia/Dushanbe' },
  { code: 'TM', timeZone: 'Asia/Ashgabat' },
  { code: 'UZ', timeZone: 'Asia/Tashkent' },
];
/** Before Azerbaijan's admission on 2025-11-16. */
export const MEMBERS_BEFORE_AZ = MEMBERS_2026.filter((m) => m.code !== 'AZ');

export const secretariat: Actor = { personId: 'secretariat', name: 'Secretariat duty desk', roles: ['secretariat'] };
export const rep = (state: string): Actor => ({
  personId: `rep-${state.toLowerCase()}`,
  name: `Special Representative ${state}`,
  roles: ['representative'],
  state,
});
export const deputy = (state: string): Actor => ({
  personId: `deputy-${state.toLowerCase()}`,
  name: `Deputy ${state}`,
  roles: ['deputy'],
  state,
  onBehalfOf: `rep-${state.toLowerCase()}`,
});
export const official = (state: string): Actor => ({
  personId: `official-${state.toLowerCase()}`,
  name: `Focal point ${state}`,
  roles: ['official'],
  state,
});

export function initiativeInput(
  now: number,
  overrides: Partial<rules.InitiativeInput> & { policy?: SignoffPolicy } = {},
): rules.InitiativeInput {
  return {
    id: 'digital-transit-corridor',
    title: 'Digital Transit Corridor',
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'digital',
    policy: { rule: { rule: 'consensus' }, silenceProcedure: false },
    reminders: { ...DEFAULT_REMINDER_POLICY, offsetsMs: [...DEFAULT_REMINDER_POLICY.offsetsMs] },
    timing: {
      assignmentDueAt: new Date(now + 14 * DAY_MS).toISOString(),
      signoffPeriodMs: 21 * DAY_MS,
      redraftPeriodMs: 14 * DAY_MS,
      escalationIntervalMs: 3 * DAY_MS,
    },
    secretariatTimeZone: 'Asia/Tashkent',
    startedBy: secretariat,
    ...overrides,
  };
}

/** Kyrgyzstan leads and its official drafts, due ten days after `now`: the assignment most rule tests start from. */
export function assignKyrgyzstan(state: rules.InitiativeState, now: number): rules.Changes {
  return rules.applyAssign(
    state,
    {
      actor: secretariat,
      leadState: 'KG',
      leadTimeZone: 'Asia/Bishkek',
      officialId: 'official-kg',
      officialName: 'Focal point KG',
      draftDueAt: new Date(now + 10 * DAY_MS).toISOString(),
    },
    now,
  );
}
