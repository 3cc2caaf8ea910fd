/**
 * The email a follower of an initiative receives when a party's part of one of its commitments changes
 * (src/domain/commitments.ts): who changed what, the part as it stands now, and a link to the register.
 */
import { CommitmentStatus, SECRETARIAT } from '../domain/commitments';
import type { CommitmentChange } from '../persistence/commitments';
import { initiativeUrl, langsOf, languageOf, layout, type RenderedEmail, type Section } from './render';
import type { Lang, StateNames } from './templates';

/** The outbox kind of these emails. */
export const PROGRESS_NOTICE_KIND = 'commitment_progress';

const STATUS: Record<Lang, Record<CommitmentStatus, string>> = {
  en: { not_started: 'not started', in_progress: 'in progress', delivered: 'delivered', blocked: 'blocked' },
  ru: { not_started: 'не начато', in_progress: 'выполняется', delivered: 'выполнено', blocked: 'заблокировано' },
};

export interface ProgressNoticeInput {
  initiative: { id: string; title: string };
  commitment: { title: string };
  change: CommitmentChange;
  recipient: { name: string; locale?: string; timeZone: string };
  stateNames: StateNames;
  publicUrl: string;
}

const WORDS: Record<Lang, (x: ProgressNoticeInput, party: string, status: string) => Section['content']> = {
  en: (x, party, status) => ({
    subject: `Progress: ${x.commitment.title} (${party}): ${status}, ${x.change.progress} %`,
    paragraphs: [
      `${x.change.byName} updated ${party}'s part of the commitment "${x.commitment.title}" of the initiative "${x.initiative.title}".`,
      `It is now ${status}, at ${x.change.progress} %.`,
      ...(x.change.note ? [`Note: ${x.change.note}`] : []),
      ...(x.change.evidenceAdded > 0 ? [`Evidence added: ${x.change.evidenceAdded}.`] : []),
      'You receive this because you follow the initiative; you can stop following it on its page.',
    ],
  }),
  ru: (x, party, status) => ({
    subject: `Ход выполнения: ${x.commitment.title} (${party}): ${status}, ${x.change.progress} %`,
    paragraphs: [
      `${x.change.byName} обновил(а) часть обязательства «${x.commitment.title}» по инициативе «${x.initiative.title}», приходящуюся на: ${party}.`,
      `Теперь: ${status}, ${x.change.progress} %.`,
      ...(x.change.note ? [`Примечание: ${x.change.note}`] : []),
      ...(x.change.evidenceAdded > 0 ? [`Добавлено подтверждений: ${x.change.evidenceAdded}.`] : []),
      'Вы получили это письмо, потому что следите за инициативой; отписаться можно на её странице.',
    ],
  }),
};

const PARTY: Record<Lang, (x: ProgressNoticeInput) => string> = {
  en: (x) =>
    x.change.party === SECRETARIAT ? 'the Secretariat' : (x.stateNames[x.change.party]?.en ?? x.change.party),
  ru: (x) => (x.change.party === SECRETARIAT ? 'Секретариат' : (x.stateNames[x.change.party]?.ru ?? x.change.party)),
};

const LINK: Record<Lang, string> = { en: 'Open the commitments', ru: 'Открыть обязательства' };

export function renderProgressNotice(x: ProgressNoticeInput): RenderedEmail {
  const language = languageOf(x.recipient.locale);
  const url = `${initiativeUrl(x.publicUrl, x.initiative.id)}#commitments`;
  const sections: Section[] = langsOf(language).map((lang) => ({
    lang,
    content: WORDS[lang](x, PARTY[lang](x), STATUS[lang][x.change.status]),
    link: { label: LINK[lang], url },
  }));
  const email = layout({ sections, recipientName: x.recipient.name, timeZone: x.recipient.timeZone });
  return { ...email, language, summary: sections[0].content.subject };
}
