/** Renders a notification into the subject, plain text and HTML of one email, in the recipient's time zone. */
import { formatInZone } from '../domain/time';
import type { Notification } from '../domain/types';
import type { InitiativeView } from '../domain/view';

export interface RenderContext {
  initiative: InitiativeView;
  recipientName: string;
  timeZone: string;
  publicUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const STEP_LABEL: Record<string, string> = {
  assignment: 'assignment of a lead state',
  draft: 'the draft',
  signoff: 'national sign-off',
};

function stepLabel(step: string): string {
  if (step.startsWith('milestone:')) return `milestone ${step.slice('milestone:'.length)}`;
  return STEP_LABEL[step] ?? step;
}

/** Headline and body lines for each kind; one place for the wording of every email. */
function content(n: Notification, c: RenderContext): { headline: string; lines: string[] } {
  const i = c.initiative;
  const due = n.dueAt ? formatInZone(new Date(n.dueAt), c.timeZone, 'en') : undefined;
  const d = n.details ?? {};
  switch (n.kind) {
    case 'started':
      return {
        headline: `New initiative: ${i.title}`,
        lines: [
          `The Secretariat has opened follow-up of "${i.title}", put forward by ${i.proposingState} at ${i.summit}.`,
          ...(i.source ? [`What was said: "${i.source.quote}"`] : []),
          'The Secretariat will now name the lead state and the responsible official.',
        ],
      };
    case 'assigned':
      return { headline: `You lead the draft: ${i.title}`, lines: [`${i.lead?.state} leads "${i.title}"; responsible official: ${i.lead?.officialName}.`, `The draft is due ${due}.`] };
    case 'draft_submitted':
      return { headline: `Draft revision ${n.revision} submitted: ${i.title}`, lines: [`Revision ${n.revision} of "${i.title}" is submitted and national sign-off is open.`] };
    case 'signoff_requested':
      return {
        headline: `Your decision is requested: ${i.title} (revision ${n.revision})`,
        lines: [`Please approve, request changes or object to revision ${n.revision} of "${i.title}" for your state.`, `Sign-off is due ${due}.`],
      };
    case 'decision_recorded':
      return { headline: `${d.state} decided ${String(d.decision).replace('_', ' ')}: ${i.title}`, lines: [`${d.state} decided "${d.decision}" on revision ${n.revision}.`, ...(d.reason ? [`Reason: ${d.reason}`] : [])] };
    case 'changes_requested':
      return {
        headline: `Changes requested: ${i.title}`,
        lines: [`${d.state ? `${d.state} requested changes` : 'The Secretariat returned the draft'}: ${d.reason}`, `Revision ${n.revision} is due ${due}.`],
      };
    case 'objected':
      return { headline: `Objection from ${d.state}: ${i.title}`, lines: [`${d.state} objected to revision ${n.revision}: ${d.reason}`, 'The round is blocked until the Secretariat returns the draft to drafting or withdraws the initiative.'] };
    case 'adopted':
      return { headline: `Adopted: ${i.title}`, lines: [`Revision ${n.revision} of "${i.title}" is adopted. Implementation milestones follow.`] };
    case 'withdrawn':
      return { headline: `Withdrawn: ${i.title}`, lines: [`The Secretariat withdrew "${i.title}". Reason: ${d.reason}`] };
    case 'completed':
      return { headline: `Completed: ${i.title}`, lines: [`"${i.title}" is completed.`] };
    case 'deadline_extended':
      return { headline: `New deadline for ${stepLabel(n.step)}: ${i.title}`, lines: [`The deadline for ${stepLabel(n.step)} of "${i.title}" is now ${due}.`, `Reason: ${d.reason}`] };
    case 'milestone_added':
      return { headline: `Milestone for you: ${d.title}`, lines: [`You own the milestone "${d.title}" of "${i.title}", due ${due}.`] };
    case 'reminder':
      return { headline: `Reminder: ${stepLabel(n.step)} due ${due}: ${i.title}`, lines: [`${stepLabel(n.step)} of "${i.title}" is due ${due}.`] };
    case 'escalation':
      return {
        headline: `Overdue: ${stepLabel(n.step)} of ${i.title}`,
        lines: [`${stepLabel(n.step)} of "${i.title}" was due ${due} and is overdue.`, ...(d.pending ? [`Still pending: ${d.pending}`] : [])],
      };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderNotification(n: Notification, c: RenderContext): RenderedEmail {
  const { headline, lines } = content(n, c);
  const link = `${c.publicUrl}/initiatives/${encodeURIComponent(c.initiative.id)}`;
  const text = [`Dear ${c.recipientName},`, '', ...lines, '', `Open the initiative: ${link}`, '', '— Summit Follow-up, on behalf of the Secretariat'].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Dear ${escapeHtml(c.recipientName)},</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link)}">Open the initiative</a></p>`,
    '<p>— Summit Follow-up, on behalf of the Secretariat</p>',
    '</body></html>',
  ].join('\n');
  // Subjects are one line whatever the data holds: no header injection through a title.
  return { subject: headline.replace(/[\r\n]+/g, ' '), text, html };
}
