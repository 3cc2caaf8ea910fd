/** Sample initiatives and one notification of each kind: the rendered samples in docs/emails (npm run email:samples) and the email tests use them. */
import { textHashOf, type RecordedTexts } from '../domain/draft-text';
import type { Notification, NotificationKind } from '../domain/types';
import type { InitiativeView } from '../domain/view';
import type { StateNames } from './templates';

export const STATE_NAMES: StateNames = {
  KZ: { en: 'Kazakhstan', ru: 'Казахстан' },
  KG: { en: 'Kyrgyzstan', ru: 'Кыргызстан' },
  TJ: { en: 'Tajikistan', ru: 'Таджикистан' },
  TM: { en: 'Turkmenistan', ru: 'Туркменистан' },
  UZ: { en: 'Uzbekistan', ru: 'Узбекистан' },
  AZ: { en: 'Azerbaijan', ru: 'Азербайджан' },
};

/** The six member states and their zones, as in data/tashkent-2025.json. */
export const ZONES: Record<string, string> = {
  KZ: 'Asia/Almaty',
  KG: 'Asia/Bishkek',
  TJ: 'Asia/Dushanbe',
  TM: 'Asia/Ashgabat',
  UZ: 'Asia/Tashkent',
  AZ: 'Asia/Baku',
};

/** The sample due instant 2026-12-22T05:00Z as the wall clock shows it in each state. */
export const LOCAL_DUE_TIME: Record<string, string> = {
  KZ: '10:00 (Asia/Almaty, UTC+05:00)',
  KG: '11:00 (Asia/Bishkek, UTC+06:00)',
  TJ: '10:00 (Asia/Dushanbe, UTC+05:00)',
  TM: '10:00 (Asia/Ashgabat, UTC+05:00)',
  UZ: '10:00 (Asia/Tashkent, UTC+05:00)',
  AZ: '09:00 (Asia/Baku, UTC+04:00)',
};

/** Article 4 of the sample draft in revisions 1 and 2: the redline of a decision request shows the change. */
export const SAMPLE_TEXTS: Record<1 | 2, { en: string; ru: string }> = {
  1: {
    en: 'Article 4. The Parties shall exchange customs data through the single window within 30 days of the entry into force.',
    ru: 'Статья 4. Стороны обмениваются таможенными данными через единое окно в течение 30 дней после вступления в силу.',
  },
  2: {
    en: 'Article 4. The Parties shall exchange the customs data fields listed in Annex 1 through the single window within 60 days of the entry into force.',
    ru: 'Статья 4. Стороны обмениваются таможенными данными, перечисленными в Приложении 1, через единое окно в течение 60 дней после вступления в силу.',
  },
};

/** Revision 1 as the trail records it: the basis of the sample redline. */
export const SAMPLE_REVISION_1: RecordedTexts = {
  en: { text: SAMPLE_TEXTS[1].en, authentic: true },
  ru: { text: SAMPLE_TEXTS[1].ru, authentic: true },
};

const SAMPLE_DRAFT_TEXT = {
  title: 'Corridor agreement, draft 2',
  link: 'https://docs.example.org/corridor-r2',
  texts: {
    en: { text: SAMPLE_TEXTS[2].en, authentic: true, revision: 2 },
    ru: { text: SAMPLE_TEXTS[2].ru, authentic: true, revision: 2 },
  },
};
const SAMPLE_DRAFT = { revision: 2, ...SAMPLE_DRAFT_TEXT, textHash: textHashOf(SAMPLE_DRAFT_TEXT) };

export function sampleView(over: Partial<InitiativeView> = {}): InitiativeView {
  return {
    id: 'digital-transit-corridor',
    title: 'Digital Transit Corridor: shared customs data and single-window permits',
    proposingState: 'KG',
    summit: 'tashkent-2025',
    category: 'transport',
    source: { document: 'news-az-2025-11-21', quote: 'a “Digital Transit Corridor” with shared customs data' },
    stage: 'signoff',
    revision: 2,
    policy: { rule: { rule: 'consensus' }, silenceProcedure: false },
    lead: { state: 'KG', timeZone: 'Asia/Bishkek', officialId: 'official-kg', officialName: 'Айгүл Асанова' },
    draft: { ...SAMPLE_DRAFT, submittedBy: 'official-kg', submittedAt: '2026-12-01T05:00:00.000Z' },
    round: {
      revision: 2,
      openedAt: '2026-12-01T05:00:00.000Z',
      dueAt: '2026-12-22T05:00:00.000Z',
      members: ['AZ', 'KG', 'KZ', 'TJ', 'TM', 'UZ'],
      decisions: {},
    },
    pendingStates: ['AZ', 'KZ', 'TJ', 'TM', 'UZ'],
    deadlines: [{ step: 'signoff', dueAt: '2026-12-22T05:00:00.000Z', waitingOn: ['state:KZ'] }],
    milestones: [
      {
        id: 'pilot',
        title: 'Pilot at the Dostyk crossing',
        ownerId: 'official-kz',
        ownerName: 'Focal point, Kazakhstan',
        ownerState: 'KZ',
        dueAt: '2027-03-01T04:00:00.000Z',
      },
    ],
    startedAt: '2026-11-20T05:00:00.000Z',
    updatedAt: '2026-12-01T05:00:00.000Z',
    version: 7,
    ...over,
  };
}

const DUE = '2026-12-22T05:00:00.000Z';
const DAY = 86_400_000;

/** One notification of each kind, with the facts its template shows. */
export const SAMPLE_NOTIFICATIONS: Record<NotificationKind, Notification> = {
  started: { kind: 'started', to: { role: 'secretariat' }, step: 'start', revision: 0 },
  assigned: { kind: 'assigned', to: { person: 'official-kg' }, step: 'draft', revision: 1, dueAt: DUE },
  draft_submitted: { kind: 'draft_submitted', to: { role: 'secretariat' }, step: 'signoff', revision: 2 },
  acknowledgement_missing: {
    kind: 'acknowledgement_missing',
    to: { role: 'representative', state: 'KZ' },
    step: 'signoff',
    revision: 2,
    dueAt: DUE,
    details: { states: 'KZ, TM' },
  },
  silence_broken: {
    kind: 'silence_broken',
    to: { role: 'representative', state: 'KZ' },
    step: 'signoff',
    revision: 2,
    details: {
      state: 'TJ',
      decision: 'amend',
      reason: 'Article 4 must name the customs data fields',
      amendment: 'Article 4. The Parties shall exchange the customs data fields listed in Annex 1.',
    },
  },
  editorial_revision: {
    kind: 'editorial_revision',
    to: { role: 'representative', state: 'TJ' },
    step: 'signoff',
    revision: 2,
    dueAt: DUE,
    details: { from: 1, reason: 'Annex numbering and the Russian text brought in line', carried: 'KG, KZ' },
  },
  signoff_requested: {
    kind: 'signoff_requested',
    to: { role: 'representative', state: 'KZ' },
    step: 'signoff',
    revision: 2,
    dueAt: DUE,
  },
  decision_recorded: {
    kind: 'decision_recorded',
    to: { role: 'secretariat' },
    step: 'signoff',
    revision: 2,
    sequence: 1,
    details: { state: 'KG', decision: 'approve' },
  },
  changes_requested: {
    kind: 'changes_requested',
    to: { person: 'official-kg' },
    step: 'draft',
    revision: 3,
    dueAt: '2027-01-05T05:00:00.000Z',
    details: { state: 'TJ', reason: 'Article 4 must name the customs data fields' },
  },
  objected: {
    kind: 'objected',
    to: { role: 'secretariat' },
    step: 'signoff',
    revision: 2,
    details: { state: 'TM', reason: 'Conflicts with the 2026 chairmanship roadmap' },
  },
  adopted: {
    kind: 'adopted',
    to: { role: 'secretariat' },
    step: 'adopted',
    revision: 2,
    details: {
      bySilence: true,
      statements:
        'UZ: Uzbekistan reads Article 4 as covering transit cargo only.\nAZ: Azerbaijan abstains pending its parliament.',
    },
  },
  withdrawn: {
    kind: 'withdrawn',
    to: { role: 'secretariat' },
    step: 'withdrawn',
    revision: 2,
    details: { reason: 'Superseded by the common transport strategy' },
  },
  completed: { kind: 'completed', to: { role: 'secretariat' }, step: 'completed', revision: 2 },
  deadline_extended: {
    kind: 'deadline_extended',
    to: { role: 'representative', state: 'KZ' },
    step: 'signoff',
    revision: 2,
    dueAt: '2026-12-29T05:00:00.000Z',
    details: { from: DUE, reason: 'Holidays in two capitals' },
  },
  milestone_added: {
    kind: 'milestone_added',
    to: { person: 'official-kz' },
    step: 'milestone:pilot',
    revision: 2,
    dueAt: '2027-03-01T04:00:00.000Z',
    details: { title: 'Pilot at the Dostyk crossing' },
  },
  reminder: {
    kind: 'reminder',
    to: { person: 'official-kg' },
    step: 'draft',
    revision: 1,
    dueAt: DUE,
    sequence: 2 * DAY,
  },
  calendar_cancelled: {
    kind: 'calendar_cancelled',
    to: { person: 'official-kg' },
    step: 'draft',
    revision: 2,
    dueAt: DUE,
    sequence: 8,
    details: { cause: 'closed' },
  },
  escalation: {
    kind: 'escalation',
    to: { role: 'secretariat' },
    step: 'signoff',
    revision: 2,
    dueAt: DUE,
    sequence: 1,
    details: { pending: 'KZ, TM' },
  },
};
