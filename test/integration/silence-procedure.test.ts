/**
 * The silence procedure on the real stack, with the expiry seconds away: statements and an abstention do not
 * break it, the expiry adopts and every member state gets the notice of adoption with the statements; an
 * amendment breaks it and every member state gets the notice of non-adoption with the proposed text; and the
 * record of who was told: delivered, first opened (by the email's link or the page), acknowledged, per state.
 */
import { addDeputy, addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { listEmails, rawEmail } from '../support/mail';

const CHARTER = {
  text: 'Article 1. The Secretariat rotates with the chairmanship.',
  textRu: 'Статья 1. Секретариат меняется вместе с председательством.',
};
const underSilence = (prefix: string) =>
  startedInitiative(prefix, { to: 'signoff', silenceProcedure: true, texts: CHARTER });

/** Tajikistan breaks the silence on revision 1 by proposing an amendment. */
const amendedByTajikistan = (id: string) =>
  asPerson('rep-tj').post(`/api/initiatives/${id}/decisions`, {
    state: 'TJ',
    revision: 1,
    decision: 'amend',
    reason: 'the rotation needs a term',
    amendment: 'Article 1. The Secretariat rotates every two years.',
  });

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
    const amended = await amendedByTajikistan(id);
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

  it('is broken by an objection: every member state is told at once, and the round keeps no expiry that could adopt it', async () => {
    const id = await underSilence('silence-objected');
    const objected = await asPerson('rep-tm').post(`/api/initiatives/${id}/decisions`, {
      state: 'TM',
      revision: 1,
      decision: 'object',
      reason: 'neutrality comes first',
    });
    expect(objected.status).toBe(200);
    expect(objected.body.round.blockedBy).toBe('TM');
    expect(objected.body.deadlines.map((d: { step: string }) => d.step)).not.toContain('signoff');
    const notice = await emailTo('rep-kg@example.org', id, /умолчания прервана|Silence broken/);
    expect(notice.text).toContain('Текст не принят.');
    expect(notice.text).toContain('neutrality comes first');
    // No expiry can be set on a round an objection holds: nothing can be adopted by silence.
    const expiry = await asPerson('secretariat').post(`/api/initiatives/${id}/deadlines`, {
      step: 'signoff',
      dueAt: new Date(Date.now() + 5_000).toISOString(),
      reason: 'try to adopt it anyway',
    });
    expect(expiry.status).toBe(409);
    expect(expiry.body.detail).toContain('no open step "signoff"');
    expect((await asPerson('secretariat').get(`/api/initiatives/${id}`)).body).toMatchObject({
      stage: 'signoff',
      round: { blockedBy: 'TM' },
    });
  });

  it('chases the unacknowledged 48 hours before expiry, their deputies and the Secretariat too; the Chair extends, and the new period chases and adopts', async () => {
    const id = await underSilence('silence-chase');
    const deputy = await addDeputy('TJ', 'chase-deputy');
    const sec = asPerson('secretariat');
    expect((await asPerson('rep-kg').post(`/api/initiatives/${id}/acknowledgements`, { state: 'KG' })).status).toBe(
      200,
    );
    const approved = await asPerson('rep-uz').post(`/api/initiatives/${id}/decisions`, {
      state: 'UZ',
      revision: 1,
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    // An expiry 48 hours and a few seconds away: the chase is due in those few seconds.
    const expiringIn = (ms: number) => new Date(Date.now() + 48 * 3_600_000 + ms).toISOString();
    const first = expiringIn(6_000);
    const set = await sec.post(`/api/initiatives/${id}/deadlines`, { step: 'signoff', dueAt: first, reason: 'test' });
    expect(set.status).toBe(200);

    type Chase = { type: string; data: { states: string[]; expiresAt: string } };
    const chases = async (n: number) =>
      settled(`chase ${n} in the trail`, async () => {
        const trail = (await sec.get(`/api/initiatives/${id}/events`)).body as Chase[];
        const found = trail.filter((e) => e.type === 'acknowledgement_missing');
        return found.length >= n && found;
      });
    expect((await chases(1))[0].data).toEqual({ states: ['AZ', 'KZ', 'TJ', 'TM'], expiresAt: first });
    const toDeputy = await emailTo(deputy.email, id, /Please acknowledge/);
    expect(toDeputy.text).toContain('Tajikistan has not yet acknowledged that it received revision 1');
    await deputy.endDelegation();
    const toSecretariat = await emailTo('secretariat@example.org', id, /Not acknowledged/);
    expect(toSecretariat.text).toMatch(/Azerbaijan, Kazakhstan, Tajikistan(,| and) Turkmenistan/);

    // The Chair (here the Secretariat) extends the period; Turkmenistan acknowledges; the new period chases the rest.
    expect((await asPerson('rep-tm').post(`/api/initiatives/${id}/acknowledgements`, { state: 'TM' })).status).toBe(
      200,
    );
    const second = expiringIn(6_000);
    expect(
      (await sec.post(`/api/initiatives/${id}/deadlines`, { step: 'signoff', dueAt: second, reason: 'more time' }))
        .status,
    ).toBe(200);
    expect((await chases(2))[1].data).toEqual({ states: ['AZ', 'KZ', 'TJ'], expiresAt: second });

    // Then the expiry, seconds away: the silent are deemed to approve.
    const expiry = new Date(Date.now() + 5_000).toISOString();
    expect(
      (await sec.post(`/api/initiatives/${id}/deadlines`, { step: 'signoff', dueAt: expiry, reason: 'expiry' })).status,
    ).toBe(200);
    const adopted = await settled('adoption at the expiry', async () => {
      const v = (await sec.get(`/api/initiatives/${id}`)).body;
      return v.stage === 'adopted' && v;
    });
    expect(adopted.round.decisions.TJ).toMatchObject({ decision: 'approve', deemed: true });
    expect(adopted.round.decisions.UZ.deemed).toBeUndefined();
  });

  it("puts an amended text to each state's decision when the Chair so chooses: its due date adopts nothing, the approvals do", async () => {
    const id = await underSilence('silence-chosen');
    const amended = await amendedByTajikistan(id);
    expect(amended.body.stage).toBe('drafting');
    const choice = { silenceProcedure: false, reason: 'the amendment rewrote Article 1' };
    // Kazakhstan does not chair this year: only the Chair or the Secretariat chooses.
    expect((await asPerson('rep-kz').post(`/api/initiatives/${id}/procedure`, choice)).status).toBe(403);
    const chosen = await asPerson('secretariat').post(`/api/initiatives/${id}/procedure`, choice);
    expect(chosen.status).toBe(200);
    expect(chosen.body.policy.silenceProcedure).toBe(false);
    const again = await asPerson('secretariat').post(`/api/initiatives/${id}/procedure`, choice);
    expect([again.status, again.body.detail]).toEqual([
      409,
      "revision 2 is already to be put to each state's explicit decision",
    ]);

    const submitted = await asPerson('official-kz').post(`/api/initiatives/${id}/drafts`, {
      title: 'Charter, as amended',
      text: 'Article 1. The Secretariat rotates every two years.',
      textRu: 'Статья 1. Секретариат меняется каждые два года.',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ stage: 'signoff', revision: 2, policy: { silenceProcedure: false } });
    const sec = asPerson('secretariat');
    expect(
      (
        await sec.post(`/api/initiatives/${id}/deadlines`, {
          step: 'signoff',
          dueAt: new Date(Date.now() + 4_000).toISOString(),
          reason: 'a due date of seconds, for the test',
        })
      ).status,
    ).toBe(200);
    // The due date passes: it is escalated as late, and nothing is deemed approved.
    await settled('the escalation at the due date', async () => {
      const trail = (await sec.get(`/api/initiatives/${id}/events`)).body as { type: string }[];
      return trail.some((e) => e.type === 'escalated');
    });
    const late = (await sec.get(`/api/initiatives/${id}`)).body;
    expect(late.stage).toBe('signoff');
    expect(Object.keys(late.round.decisions)).toEqual([]);

    for (const state of late.round.members as string[]) {
      const who = state === 'KZ' ? 'deputy-kz' : `rep-${state.toLowerCase()}`;
      const res = await asPerson(who).post(`/api/initiatives/${id}/decisions`, {
        state,
        revision: 2,
        decision: 'approve',
      });
      expect([state, res.status]).toEqual([state, 200]);
    }
    await settled(
      'adoption by every approval',
      async () => (await sec.get(`/api/initiatives/${id}`)).body.stage === 'adopted',
    );
    const page = (
      await (
        await signIn((await addPerson({ roles: ['official'], state: 'KG', locale: 'ru' }, 'chosen-ru')).email)
      ).get(`/initiatives/${id}`)
    ).text;
    expect(page).toContain('Выбрана процедура для следующей редакции');
    expect(page).toContain('редакция 2 — на явное решение каждого государства — the amendment rewrote Article 1');
  });
});
