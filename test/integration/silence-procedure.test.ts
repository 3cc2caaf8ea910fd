/**
 * The silence procedure on the real stack, with the expiry seconds away: statements and an abstention do not
 * break it, the expiry adopts and every member state gets the notice of adoption with the statements; an
 * amendment breaks it and every member state gets the notice of non-adoption with the proposed text; and the
 * record of who was told: delivered, first opened (by the email's link or the page), acknowledged, per state.
 */
import { addDeputy, addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { listEmails, rawEmail } from '../support/mail';

jest.setTimeout(240_000);

const CHARTER = {
  text: 'Article 1. The Secretariat rotates with the chairmanship.',
  textRu: 'Статья 1. Секретариат меняется вместе с председательством.',
};
const underSilence = (prefix: string) =>
  startedInitiative(prefix, { to: 'signoff', silenceProcedure: true, texts: CHARTER });

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

  it('records who was told: each state’s delivery, first opening (link or page) and acknowledgement, in the pack and on the page', async () => {
    const id = await underSilence('silence-told');
    // Kyrgyzstan's representative opens the decision link of the email, without signing in.
    const request = await emailTo('rep-kg@example.org', id, /Decision requested|Требуется решение/);
    const link = /https?:\/\/[^\s"<>]+(\/act\/[A-Za-z0-9_.-]+)/.exec(request.text ?? '');
    expect(link).not.toBeNull();
    expect((await anonymous().get(link![1])).status).toBe(200);
    // Uzbekistan's deputy opens the initiative's page, signed in; Tajikistan's representative acknowledges
    // through the API.
    const deputy = await addDeputy('UZ', 'told-deputy');
    const uz = await signIn(deputy.email);
    expect((await uz.get(`/initiatives/${id}`)).status).toBe(200);
    const firstViewDone = new Date().toISOString();
    expect((await uz.get(`/initiatives/${id}`)).status).toBe(200);
    await deputy.endDelegation();
    expect((await asPerson('rep-tj').post(`/api/initiatives/${id}/acknowledgements`, { state: 'TJ' })).status).toBe(
      200,
    );
    // The Secretariat's page view is no state's opening.
    const sec = await signIn((await addPerson({ roles: ['secretariat'] }, 'told-sec')).email);
    expect((await sec.get(`/initiatives/${id}`)).status).toBe(200);

    type Reach = {
      revision: number;
      state: string;
      deliveredAt?: string;
      openedAt?: string;
      openedVia?: string;
      openedBy?: string;
      acknowledgedAt?: string;
      acknowledgedBy?: string;
    };
    const reach = await settled('every state’s delivery in the evidence pack', async () => {
      const pack = (await asPerson('secretariat').get(`/api/initiatives/${id}/evidence?format=json`)).body;
      const rows = pack.reach as Reach[];
      return rows.length === 6 && rows.every((r) => r.deliveredAt) ? rows : undefined;
    });
    const of = (state: string) => reach.find((r) => r.state === state)!;
    expect(reach.map((r) => r.revision)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(of('KG')).toMatchObject({ openedVia: 'link', openedBy: 'rep-kg' });
    expect(of('UZ')).toMatchObject({ openedVia: 'page', openedBy: deputy.id });
    expect(of('TJ')).toMatchObject({ acknowledgedBy: expect.any(String), acknowledgedAt: expect.any(String) });
    expect(of('TJ').openedAt).toBeUndefined();
    for (const state of ['AZ', 'KZ', 'TM']) expect(of(state).openedAt).toBeUndefined();
    // The first opening is kept: Uzbekistan's second page view did not move it.
    expect(of('UZ').openedAt! <= firstViewDone).toBe(true);

    const page = (await sec.get(`/initiatives/${id}`)).text;
    const section = page.slice(page.indexOf('id="reach-h"'), page.indexOf('</section>', page.indexOf('id="reach-h"')));
    expect(section).toContain('Who was told');
    expect(section).toMatch(/Kyrgyzstan<\/th><td>.*?<\/td><td>.*?\(the email’s link\)/);
    expect(section).toMatch(/Uzbekistan<\/th><td>.*?<\/td><td>.*?\(the initiative’s page\)/);
    expect(section).toMatch(/Turkmenistan<\/th><td>.*?<\/td><td>not yet<\/td><td>not yet<\/td>/);
  });
});
