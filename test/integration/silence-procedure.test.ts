/**
 * The silence procedure on the real stack, with the expiry seconds away: statements and an abstention do not
 * break it, the expiry adopts and every member state gets the notice of adoption with the statements; an
 * amendment breaks it and every member state gets the notice of non-adoption with the proposed text.
 */
import { asPerson, settled } from '../support/api-client';
import { listEmails, rawEmail } from '../support/mail';
import { uniqueId } from '../support/stack';

jest.setTimeout(240_000);

async function underSilence(prefix: string): Promise<string> {
  const sec = asPerson('secretariat');
  const id = uniqueId(prefix);
  const started = await sec.post('/api/initiatives', {
    id,
    title: `Test initiative ${id}`,
    proposingState: 'KZ',
    summit: 'tashkent-2025',
    category: 'institutions',
    silenceProcedure: true,
  });
  expect(started.status).toBe(201);
  const due = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const assigned = await sec.post(`/api/initiatives/${id}/assignment`, {
    leadState: 'KZ',
    officialId: 'official-kz',
    draftDueAt: due,
  });
  expect(assigned.status).toBe(200);
  const drafted = await asPerson('official-kz').post(`/api/initiatives/${id}/drafts`, {
    title: 'Charter',
    text: 'Article 1. The Secretariat rotates with the chairmanship.',
    textRu: 'Статья 1. Секретариат меняется вместе с председательством.',
  });
  expect(drafted.status).toBe(200);
  return id;
}

/** The first email to `address` about initiative `id` whose subject matches, parsed. */
function emailTo(address: string, id: string, subject: RegExp) {
  return settled(`${subject} to ${address}`, async () => {
    const found = (await listEmails()).find(
      (m) => m.to.some((t) => t.address === address) && m.subject.includes(id) && subject.test(m.subject),
    );
    return found && rawEmail(found.id);
  });
}

describe('the silence procedure', () => {
  it('adopts at expiry, deeming the silent to approve, and tells every member state with the statements', async () => {
    const id = await underSilence('silence-adopted');
    const decide = (who: string, state: string, body: object) =>
      asPerson(who).post(`/api/initiatives/${id}/decisions`, { state, revision: 1, ...body });
    expect((await decide('rep-uz', 'UZ', { decision: 'approve', statement: 'Transit cargo only.' })).status).toBe(200);
    const abstained = await decide('rep-az', 'AZ', { decision: 'abstain', statement: 'Pending ratification.' });
    expect(abstained.status).toBe(200);
    expect(abstained.body.round.decisions.AZ).toMatchObject({
      decision: 'abstain',
      statement: 'Pending ratification.',
    });
    expect(abstained.body.stage).toBe('signoff');

    // Kyrgyzstan acknowledges receipt, once; Kazakhstan's representative may not do it for Kyrgyzstan.
    const ack = await asPerson('rep-kg').post(`/api/initiatives/${id}/acknowledgements`, { state: 'KG' });
    expect(ack.status).toBe(200);
    expect(ack.body.round.acknowledged.KG).toMatchObject({ by: 'rep-kg' });
    expect((await asPerson('rep-kg').post(`/api/initiatives/${id}/acknowledgements`, { state: 'KG' })).status).toBe(
      409,
    );
    expect((await asPerson('rep-kz').post(`/api/initiatives/${id}/acknowledgements`, { state: 'KG' })).status).toBe(
      403,
    );

    const expiry = new Date(Date.now() + 8_000).toISOString();
    const moved = await asPerson('secretariat').post(`/api/initiatives/${id}/deadlines`, {
      step: 'signoff',
      dueAt: expiry,
      reason: 'silence of seconds, for the test',
    });
    expect(moved.status).toBe(200);

    const adopted = await settled('adoption by silence', async () => {
      const v = (await asPerson('secretariat').get(`/api/initiatives/${id}`)).body;
      return v.stage === 'adopted' ? v : undefined;
    });
    expect(adopted.round.decisions.KZ).toMatchObject({ decision: 'approve', deemed: true });
    expect(adopted.round.decisions.AZ.decision).toBe('abstain');

    const notice = await emailTo('rep-kg@example.org', id, /принята|Adopted/);
    expect(notice.text).toContain('принята по процедуре умолчания');
    expect(notice.text).toMatch(
      /Заявления для протокола:\s+Узбекистан: Transit cargo only\.\s+Азербайджан: Pending ratification\./,
    );
  });

  it('is broken by an amendment: every member state is told at once that the text is not adopted, with the text proposed', async () => {
    const id = await underSilence('silence-broken');
    const amended = await asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, {
      state: 'TJ',
      revision: 1,
      decision: 'amend',
      reason: 'the rotation needs a term',
      amendment: 'Article 1. The Secretariat rotates every two years.',
    });
    expect(amended.status).toBe(200);
    expect(amended.body.stage).toBe('drafting');
    const notice = await emailTo('rep-kg@example.org', id, /умолчания прервана|Silence broken/);
    expect(notice.text).toContain('Текст не принят.');
    expect(notice.text).toContain('Предлагаемый текст: Article 1. The Secretariat rotates every two years.');
    const lead = await emailTo('official-kz@example.org', id, /Changes requested|Запрошены изменения/);
    expect(lead.text).toMatch(/Proposed text|Предлагаемый текст/);
  });
});
