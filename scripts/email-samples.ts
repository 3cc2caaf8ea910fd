/**
 * `npm run email:samples`: renders one sample of each kind of email, in English and in Russian, with
 * the real templates, into docs/emails/ (plain text, HTML, and the .ics of deadline emails), and an
 * index docs/emails/README.md. The output is deterministic; a unit test fails when it is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotificationKind, type Notification } from '../src/domain/types';
import { renderDigest } from '../src/email/digest';
import { cancelledIcs, deadlineIcs, icsMethod } from '../src/email/ics';
import { decisionActionUrl, nonceFor, unsubscribeUrl } from '../src/email/links';
import { carriesCalendar, DIGEST_KINDS, isDecisionRequest, unsubscribeTopicFor } from '../src/email/policy';
import {
  calendarEventText,
  initiativeUrl,
  renderNotification,
  type RenderContext,
  type RenderedEmail,
} from '../src/email/render';
import { redlinesSince } from '../src/email/redline';
import { SAMPLE_NOTIFICATIONS, SAMPLE_REVISION_1, sampleView, STATE_NAMES } from '../src/email/samples';
import type { Lang } from '../src/email/templates';
import { PROGRESS_NOTICE_KIND, renderProgressNotice } from '../src/email/progress';

export const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'emails');

const PUBLIC_URL = 'https://summit.example.org';
const SECRET = 'sample-secret-for-the-documentation-only';
const NOW = new Date('2026-12-01T05:00:00.000Z');
const MAIL_FROM = 'no-reply@summit.example.org';

interface SamplePerson {
  _id: string;
  roles: ('secretariat' | 'representative' | 'official')[];
  state?: string;
  timeZone: string;
  name: Record<Lang, string>;
}

const SECRETARIAT: SamplePerson = {
  _id: 'secretariat',
  roles: ['secretariat'],
  timeZone: 'Asia/Tashkent',
  name: { en: 'Secretariat duty desk', ru: 'Дежурный Секретариата' },
};
const REP_KZ: SamplePerson = {
  _id: 'rep-kz',
  roles: ['representative'],
  state: 'KZ',
  timeZone: 'Asia/Almaty',
  name: { en: 'Special Representative of Kazakhstan', ru: 'Специальный представитель Казахстана' },
};
const OFFICIAL_KG: SamplePerson = {
  _id: 'official-kg',
  roles: ['official'],
  state: 'KG',
  timeZone: 'Asia/Bishkek',
  name: { en: 'Aigul Asanova', ru: 'Айгүл Асанова' },
};
const OFFICIAL_KZ: SamplePerson = {
  _id: 'official-kz',
  roles: ['official'],
  state: 'KZ',
  timeZone: 'Asia/Almaty',
  name: { en: 'Focal point, Kazakhstan', ru: 'Координатор, Казахстан' },
};

/** Who receives the sample of each kind (the kind's usual reader), and when it is sent. */
const SAMPLE_READER: Record<NotificationKind, { person: SamplePerson; when: string }> = {
  started: {
    person: SECRETARIAT,
    when: 'the Secretariat starts following an initiative (to the Secretariat and the proposing state)',
  },
  assigned: {
    person: OFFICIAL_KG,
    when: 'the lead state and responsible official are named (to the official and the lead representative)',
  },
  draft_submitted: { person: SECRETARIAT, when: 'the lead submits a draft revision (to the Secretariat)' },
  acknowledgement_missing: {
    person: REP_KZ,
    when: 'under the silence procedure, 48 hours before expiry, to a state that has not acknowledged receipt (the Secretariat and the Chair get the list)',
  },
  silence_broken: {
    person: REP_KZ,
    when: 'under the silence procedure, a member state objects or proposes an amendment: the notice of non-adoption (to every member state)',
  },
  editorial_revision: {
    person: REP_KZ,
    when: 'the Chair marks a correction during sign-off editorial (to the Secretariat and every member state; approvals carry over)',
  },
  signoff_requested: {
    person: REP_KZ,
    when: 'national sign-off opens (to each member state’s representative and deputies)',
  },
  decision_recorded: {
    person: SECRETARIAT,
    when: 'a state approves, requests changes or objects (to the Secretariat)',
  },
  changes_requested: {
    person: OFFICIAL_KG,
    when: 'a state requests changes or the Secretariat returns the draft (to the lead official and the Secretariat)',
  },
  objected: {
    person: SECRETARIAT,
    when: 'a state objects and the round is blocked (to the Secretariat and the Chair)',
  },
  adopted: { person: SECRETARIAT, when: 'the sign-off policy is met (to the Secretariat and every member state)' },
  withdrawn: { person: SECRETARIAT, when: 'the Secretariat withdraws the initiative (to everyone involved)' },
  completed: { person: SECRETARIAT, when: 'the Secretariat marks the initiative completed' },
  deadline_extended: { person: REP_KZ, when: 'the Secretariat extends a deadline (to those the step waits on)' },
  milestone_added: { person: OFFICIAL_KZ, when: 'the Secretariat adds an implementation milestone (to its owner)' },
  reminder: {
    person: OFFICIAL_KG,
    when: '7 days, 2 days and on the day before a due date, at 09:00 the reader’s time',
  },
  escalation: { person: SECRETARIAT, when: 'a step is overdue (to the Secretariat and the current Chair)' },
  calendar_cancelled: {
    person: OFFICIAL_KG,
    when: 'a step whose calendar event the reader holds is over, or no longer waits on them (a draft submitted, a round closed, their state decided, a milestone done, the initiative withdrawn or completed); the .ics cancels the event',
  },
};

interface Sample {
  kind: string;
  lang: Lang;
  mail: RenderedEmail;
  ics?: string;
  headers: string[];
}

function renderKind(kind: NotificationKind, lang: Lang): Sample {
  const { person } = SAMPLE_READER[kind];
  const n: Notification = SAMPLE_NOTIFICATIONS[kind];
  const view = sampleView();
  const key = `${view.id}|${n.step}|${person._id}|${kind}`;
  const decision = isDecisionRequest(n, person);
  const topic = unsubscribeTopicFor(n, person);
  const ctx: RenderContext = {
    initiative: view,
    recipient: { name: person.name[lang], locale: lang, timeZone: person.timeZone, state: person.state },
    stateNames: STATE_NAMES,
    publicUrl: PUBLIC_URL,
    actionUrl: decision
      ? decisionActionUrl({
          publicUrl: PUBLIC_URL,
          secret: SECRET,
          personId: person._id,
          state: person.state!,
          initiativeId: view.id,
          revision: n.revision,
          nonce: nonceFor(SECRET, key),
          dueAt: n.dueAt,
          now: NOW,
        })
      : undefined,
    unsubscribeUrl: topic ? unsubscribeUrl(PUBLIC_URL, SECRET, { personId: person._id, topic }) : undefined,
    redlines: decision ? redlinesSince(SAMPLE_REVISION_1, view.draft!.texts!, 1) : undefined,
  };
  const mail = renderNotification(n, ctx);
  const event = n.dueAt && {
    initiativeId: view.id,
    step: n.step,
    dueAt: n.dueAt,
    ...calendarEventText(n, ctx),
    stamp: NOW,
    domain: 'summit.example.org',
  };
  const ics =
    !event || !carriesCalendar(n)
      ? undefined
      : kind === 'calendar_cancelled'
        ? cancelledIcs({ ...event, sequence: 2, organizer: MAIL_FROM, attendee: `${person._id}@example.org` })
        : deadlineIcs({
            ...event,
            sequence: kind === 'deadline_extended' ? 1 : 0,
            url: initiativeUrl(PUBLIC_URL, view.id),
          });
  const headers = ['Auto-Submitted: auto-generated', `Content-Language: ${lang}`];
  if (ctx.unsubscribeUrl)
    headers.push(`List-Unsubscribe: <${ctx.unsubscribeUrl}>`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  return { kind, lang, mail, ics, headers };
}

function renderDigestSample(lang: Lang): Sample {
  const view = sampleView();
  const second = sampleView({
    id: 'rare-earths-centre',
    title: 'Regional Research Center for Rare Earth Elements (Astana)',
  });
  const items = [
    { n: SAMPLE_NOTIFICATIONS.decision_recorded, view },
    { n: { ...SAMPLE_NOTIFICATIONS.decision_recorded, details: { state: 'AZ', decision: 'approve' } }, view },
    { n: SAMPLE_NOTIFICATIONS.draft_submitted, view: second },
    // A reminder three weeks ahead waits for the digest; one due before the digest would not (src/email/policy.ts).
    { n: { ...SAMPLE_NOTIFICATIONS.reminder, step: 'assignment', sequence: 20 * 86_400_000 }, view: second },
  ].map(({ n, view: v }) => {
    const rendered = renderNotification(n, {
      initiative: v,
      recipient: { name: SECRETARIAT.name[lang], locale: lang, timeZone: SECRETARIAT.timeZone },
      stateNames: STATE_NAMES,
      publicUrl: PUBLIC_URL,
    });
    return {
      initiativeId: v.id,
      initiativeTitle: v.title,
      summary: rendered.summary,
      link: initiativeUrl(PUBLIC_URL, v.id),
      dueAt: n.dueAt,
    };
  });
  const unsub = unsubscribeUrl(PUBLIC_URL, SECRET, { personId: SECRETARIAT._id, topic: 'digest' });
  const mail = renderDigest(items, {
    recipient: { name: SECRETARIAT.name[lang], locale: lang, timeZone: SECRETARIAT.timeZone },
    date: '2026-12-02',
    unsubscribeUrl: unsub,
  });
  return {
    kind: 'digest',
    lang,
    mail,
    headers: [
      'Auto-Submitted: auto-generated',
      `Content-Language: ${lang}`,
      `List-Unsubscribe: <${unsub}>`,
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ],
  };
}

/** A follower's email when a part of a commitment changes (activities/notices.ts). */
function renderProgressSample(lang: Lang): Sample {
  const view = sampleView();
  const mail = renderProgressNotice({
    initiative: { id: view.id, title: view.title },
    commitment: { title: 'Designate the national contact point of the corridor' },
    change: {
      rev: 3,
      party: 'KG',
      at: NOW.toISOString(),
      by: OFFICIAL_KG._id,
      byName: OFFICIAL_KG.name[lang],
      status: 'in_progress',
      progress: 60,
      note: lang === 'ru' ? 'Постановление правительства внесено.' : 'The government decree is tabled.',
      evidenceAdded: 1,
    },
    recipient: { name: REP_KZ.name[lang], locale: lang, timeZone: REP_KZ.timeZone },
    stateNames: STATE_NAMES,
    publicUrl: PUBLIC_URL,
  });
  return {
    kind: PROGRESS_NOTICE_KIND,
    lang,
    mail,
    headers: ['Auto-Submitted: auto-generated', `Content-Language: ${lang}`],
  };
}

function textFile(s: Sample): string {
  return [
    `Subject: ${s.mail.subject}`,
    ...s.headers,
    ...(s.ics ? [`Attachment: deadline.ics (text/calendar; method=${icsMethod(s.ics)})`] : []),
    '',
    s.mail.text,
  ].join('\n');
}

function readme(samples: Sample[]): string {
  const kinds = [...Object.values(NotificationKind), 'digest', PROGRESS_NOTICE_KIND] as const;
  const rows = kinds.map((kind) => {
    const en = samples.find((s) => s.kind === kind && s.lang === 'en')!;
    const ru = samples.find((s) => s.kind === kind && s.lang === 'ru')!;
    const when =
      kind === 'digest'
        ? 'once a day at 09:00 local time, for a person who chose the digest'
        : kind === PROGRESS_NOTICE_KIND
          ? "to each follower of an initiative (but the one who acted) when a party's part of one of its commitments changes"
          : SAMPLE_READER[kind].when;
    const extras = [
      en.ics ? `.ics ([en](${kind}.en.ics), [ru](${kind}.ru.ics))` : '',
      kind !== 'digest' && kind !== PROGRESS_NOTICE_KIND && DIGEST_KINDS.has(kind) ? 'digest' : '',
      en.headers.some((h) => h.startsWith('List-Unsubscribe:')) ? 'unsubscribe' : '',
      en.mail.text.includes(`${PUBLIC_URL}/act/`) ? 'action link' : '',
    ].filter(Boolean);
    const cell = (s: Sample) =>
      `${s.mail.subject.replace(/\|/g, '\\|')}<br>[text](${kind}.${s.lang}.txt) · [HTML](${kind}.${s.lang}.html)`;
    return `| \`${kind}\` | ${when} | ${cell(en)} | ${cell(ru)} | ${extras.join(', ')} |`;
  });
  return [
    '# What each email looks like',
    '',
    'Generated by `npm run email:samples` from the real templates (src/email/templates.ts) with the sample',
    'initiative of src/email/samples.ts; do not edit by hand (a unit test fails when these files are stale).',
    '',
    'Every email has a plain-text and an HTML part, in the reader’s language (English or Russian; both, English',
    'first, when the person’s language is unknown), with every date in the reader’s own time zone, named.',
    'Deadline emails carry a calendar event (.ics) whose UID stays the same for a step and whose SEQUENCE grows',
    'when the deadline moves, so calendars move the event; everyone who holds the event gets the move. When a step',
    'is over or no longer waits on someone, each holder gets `calendar_cancelled` with a METHOD:CANCEL of that UID.',
    'Decision requests carry a signed action link and never',
    'an unsubscribe link; reminders (other than decision requests) and the daily digest carry `List-Unsubscribe`.',
    'Kinds marked *digest* wait for the daily digest of a person who chose it, unless their deadline comes before',
    'that digest: then they go at once, with their .ics. The digest shows each deadline with its time.',
    '',
    'The links in these samples are signed with a documentation-only secret and lead nowhere.',
    '',
    '| kind | sent when | English | Russian | extras |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every file of docs/emails/, by name. */
export function renderSamples(): Map<string, string> {
  const samples: Sample[] = [];
  for (const kind of Object.values(NotificationKind))
    for (const lang of ['en', 'ru'] as const) samples.push(renderKind(kind, lang));
  for (const lang of ['en', 'ru'] as const) samples.push(renderDigestSample(lang), renderProgressSample(lang));
  const files = new Map<string, string>();
  for (const s of samples) {
    files.set(`${s.kind}.${s.lang}.txt`, textFile(s));
    files.set(`${s.kind}.${s.lang}.html`, `${s.mail.html}\n`);
    if (s.ics) files.set(`${s.kind}.${s.lang}.ics`, s.ics);
  }
  files.set('README.md', readme(samples));
  return files;
}

if (require.main === module) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const old of fs.readdirSync(OUT_DIR)) fs.rmSync(path.join(OUT_DIR, old));
  const files = renderSamples();
  for (const [name, content] of files) fs.writeFileSync(path.join(OUT_DIR, name), content);
  process.stdout.write(`wrote ${files.size} files to ${path.relative(process.cwd(), OUT_DIR) || OUT_DIR}\n`);
}
