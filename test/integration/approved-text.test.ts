/**
 * On the real stack: a revision in two authentic languages under one hash, decisions that name the hash and
 * the language approved, the Chair's editorial correction carrying approvals over, and the decision request
 * that shows the pending states what changed.
 */
import { asPerson, settled, startedInitiative } from '../support/api-client';
import { rawEmail, listEmails } from '../support/mail';

const EN = 'Article 4. The Parties shall exchange customs data through the single window within 30 days.';
const RU = 'Статья 4. Стороны обмениваются таможенными данными через единое окно в течение 30 дней.';
const RU2 = 'Статья 4. Стороны обмениваются таможенными данными через единое окно в течение тридцати дней.';

describe('approvals bound to the text in its two authentic languages', () => {
  it('records what each state approved, refuses another text, and carries approvals over an editorial correction', async () => {
    const sec = asPerson('secretariat');
    const id = await startedInitiative('approved-text', { to: 'assigned' });
    const submitted = await asPerson('official-kz').post(`/api/initiatives/${id}/drafts`, {
      title: 'Corridor agreement',
      text: EN,
      textRu: RU,
    });
    expect(submitted.status).toBe(200);
    const hash = submitted.body.draft.textHash as string;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(submitted.body.draft.texts).toEqual({
      en: { text: EN, authentic: true, revision: 1 },
      ru: { text: RU, authentic: true, revision: 1 },
    });
    expect(submitted.body.round.textHash).toBe(hash);

    // KG approves the Russian text it read; UZ's client read another text and is refused.
    const kg = await asPerson('rep-kg').post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'approve',
      revision: 1,
      textHash: hash,
      language: 'ru',
    });
    expect(kg.status).toBe(200);
    expect(kg.body.round.decisions.KG).toMatchObject({ decision: 'approve', textHash: hash, language: 'ru' });
    const stale = await asPerson('rep-uz').post(`/api/initiatives/${id}/decisions`, {
      state: 'UZ',
      decision: 'approve',
      revision: 1,
      textHash: 'f'.repeat(64),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('is not the text under sign-off (revision 1');

    // Only the Chair (Turkmenistan chairs in 2026) or the Secretariat may mark a correction editorial.
    const notChair = await asPerson('rep-kz').post(`/api/initiatives/${id}/editorial-revisions`, {
      textRu: RU2,
      reason: 'numbers in words',
    });
    expect(notChair.status).toBe(403);
    const corrected = await asPerson('rep-tm').post(`/api/initiatives/${id}/editorial-revisions`, {
      textRu: RU2,
      reason: 'numbers in words, as in the English',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.revision).toBe(2);
    expect(corrected.body.draft.editorial).toMatchObject({ from: 1, reason: 'numbers in words, as in the English' });
    expect(corrected.body.round.revision).toBe(2);
    expect(corrected.body.round.decisions.KG).toMatchObject({ textHash: hash, carriedFrom: 1, language: 'ru' });
    expect(corrected.body.round.textHash).not.toBe(hash);
    expect(corrected.body.pendingStates).not.toContain('KG');

    // The trail keeps both revisions' texts word for word.
    const trail = await settled('the editorial correction in the trail', async () => {
      const events = (await sec.get(`/api/initiatives/${id}/events`)).body as { type: string; data: any }[];
      return events.some((e) => e.type === 'editorial_revision') ? events : undefined;
    });
    expect(trail.find((e) => e.type === 'draft_submitted')!.data.texts.ru.text).toBe(RU);
    expect(trail.find((e) => e.type === 'editorial_revision')!.data).toMatchObject({
      from: 1,
      revision: 2,
      carriedApprovals: ['KG'],
      texts: { ru: { text: RU2, authentic: true } },
    });

    // Uzbekistan, still to decide, is told in Russian what changed, word by word, with its link to decide.
    const mail = await settled('the editorial correction to Uzbekistan', async () => {
      const found = (await listEmails()).find(
        (m) =>
          m.to.some((t) => t.address === 'rep-uz@example.org') &&
          m.subject.includes(id) &&
          m.subject.includes('Редакционная правка'),
      );
      return found && rawEmail(found.id);
    });
    expect(mail.text).toContain('Изменения по сравнению с редакцией 1 — текст на русском языке');
    expect(mail.text).toContain('[-30-]{+тридцати+}');
    expect(mail.html).toMatch(/<del[^>]*>30<\/del><ins[^>]*>тридцати<\/ins>/);
    expect(mail.text).toContain('Уже данные одобрения сохраняются: Кыргызстан.');
    expect(mail.text).toMatch(/\/act\/[A-Za-z0-9_.-]+/);
  });

  it('refuses a new revision that changes one authentic text and leaves the other behind', async () => {
    const id = await startedInitiative('approved-text-lag', { to: 'assigned' });
    const lead = asPerson('official-kz');
    expect((await lead.post(`/api/initiatives/${id}/drafts`, { title: 'T', text: EN, textRu: RU })).status).toBe(200);
    const back = await asPerson('rep-kg').post(`/api/initiatives/${id}/decisions`, {
      state: 'KG',
      decision: 'request_changes',
      revision: 1,
      reason: 'name the data fields',
    });
    expect(back.status).toBe(200);
    const lagging = await lead.post(`/api/initiatives/${id}/drafts`, { title: 'T', text: `${EN} Annex 1 lists them.` });
    expect(lagging.status).toBe(409);
    expect(lagging.body.detail).toContain('the Russian text is authentic but is still that of revision 1');
    const both = await lead.post(`/api/initiatives/${id}/drafts`, {
      title: 'T',
      text: `${EN} Annex 1 lists them.`,
      textRu: `${RU} Они перечислены в Приложении 1.`,
    });
    expect(both.status).toBe(200);
    expect(both.body.revision).toBe(2);
  });
});
