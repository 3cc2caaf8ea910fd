/**
 * Words for the lifecycle's values (stages, decisions, roles, audit events, steps) in English and Russian: one
 * place for every reader of them, the web pages and the reports alike.
 */
import type { Lang } from '../email/templates';

/** Words for the lifecycle's values: stages, decisions, roles, audit events, steps. */
export const WORDS: Record<Lang, Record<string, Record<string, string>>> = {
  en: {
    stage: {
      proposed: 'Proposed',
      assigned: 'Assigned',
      drafting: 'Drafting',
      signoff: 'National sign-off',
      adopted: 'Adopted',
      implementing: 'Implementing',
      completed: 'Completed',
      withdrawn: 'Withdrawn',
    },
    decision: { approve: 'Approved', request_changes: 'Changes requested', object: 'Objected' },
    role: {
      secretariat: 'Secretariat',
      representative: 'Special Representative',
      deputy: 'Deputy',
      official: 'Official',
      chair: 'Chair',
      parliament: 'Member of parliament',
    },
    event: {
      started: 'Started',
      assigned: 'Assigned',
      reassigned: 'Reassigned',
      draft_submitted: 'Draft submitted',
      signoff_opened: 'Sign-off round opened',
      decided: 'Decision',
      adopted: 'Adopted',
      returned_to_drafting: 'Returned to drafting',
      round_blocked: 'Round blocked by an objection',
      deadline_extended: 'Deadline extended',
      withdrawn: 'Withdrawn',
      milestone_added: 'Milestone added',
      milestone_completed: 'Milestone done',
      completed: 'Completed',
      reminder_due: 'Reminder sent',
      escalated: 'Escalated',
      silence_procedure: 'Silence procedure applied',
    },
    rule: { consensus: 'Consensus', quorum: 'Quorum' },
    kind: {
      decision: 'Decide',
      draft: 'Submit the draft',
      milestone: 'Milestone',
      assignment: 'Assign',
      objection: 'Objection',
      escalation: 'Escalation',
    },
  },
  ru: {
    stage: {
      proposed: 'Предложена',
      assigned: 'Назначена',
      drafting: 'Подготовка проекта',
      signoff: 'Национальное согласование',
      adopted: 'Принята',
      implementing: 'Выполняется',
      completed: 'Завершена',
      withdrawn: 'Отозвана',
    },
    decision: { approve: 'Одобрено', request_changes: 'Запрошены изменения', object: 'Возражение' },
    role: {
      secretariat: 'Секретариат',
      representative: 'Специальный представитель',
      deputy: 'Заместитель',
      official: 'Ответственное лицо',
      chair: 'Председатель',
      parliament: 'Депутат парламента',
    },
    event: {
      started: 'Начата',
      assigned: 'Назначена',
      reassigned: 'Переназначена',
      draft_submitted: 'Представлен проект',
      signoff_opened: 'Открыт раунд согласования',
      decided: 'Решение',
      adopted: 'Принята',
      returned_to_drafting: 'Возвращена на доработку',
      round_blocked: 'Раунд заблокирован возражением',
      deadline_extended: 'Срок продлён',
      withdrawn: 'Отозвана',
      milestone_added: 'Добавлен этап',
      milestone_completed: 'Этап выполнен',
      completed: 'Завершена',
      reminder_due: 'Отправлено напоминание',
      escalated: 'Эскалация',
      silence_procedure: 'Применена процедура умолчания',
    },
    rule: { consensus: 'Консенсус', quorum: 'Кворум' },
    kind: {
      decision: 'Решение',
      draft: 'Представить проект',
      milestone: 'Этап',
      assignment: 'Назначить',
      objection: 'Возражение',
      escalation: 'Эскалация',
    },
  },
};

/** A value's word in the language, or the value itself when there is none. */
export function word(lang: Lang, group: string, value: string): string {
  return WORDS[lang][group]?.[value] ?? value;
}
