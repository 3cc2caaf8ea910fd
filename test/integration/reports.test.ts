/**
 * The reports for the next summit on the real stack: a representative downloads the progress report of a summit's
 * initiatives as JSON, PDF and DOCX, in English and Russian, and the handover pack for the incoming Chair; what
 * they read is what the workflows recorded. Nobody signed out gets either; bad parameters are named.
 */
import { addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { docxText } from '../support/docx-text';
import { pdfText } from '../support/pdf-text';
import { uniqueId } from '../support/stack';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('reports for the next summit', () => {
  it("shows each state's position and what is late, as JSON, PDF and DOCX, to the member states only", async () => {
    const summit = uniqueId('report-summit');
    const inSignoff = await startedInitiative('report-signoff', { to: 'signoff', summit });
    const unassigned = await startedInitiative('report-new', { summit });
    const objected = await asPerson('rep-tj').post(`/api/initiatives/${inSignoff}/decisions`, {
      state: 'TJ',
      decision: 'object',
      revision: 1,
      reason: 'The tariff annex is not agreed',
    });
    expect(objected.status).toBe(200);

    const rep = asPerson('rep-kz');
    // Both initiatives are recorded by the worker, each in its own time: wait for both, not just the objection.
    const report = await settled("Tajikistan's objection and the unassigned initiative in the report", async () => {
      const reply = await rep.get(`/api/reports/progress?summit=${summit}`);
      const listed = (id: string) => reply.body.initiatives?.find((i: { id: string }) => i.id === id);
      return reply.status === 200 && listed(inSignoff)?.objection && listed(unassigned) && reply.body;
    });
    expect(report.summit).toEqual({ id: summit });
    expect(report.initiatives.map((i: { id: string }) => i.id).sort()).toEqual([inSignoff, unassigned].sort());
    const one = report.initiatives.find((i: { id: string }) => i.id === inSignoff);
    expect(one).toMatchObject({
      stage: 'signoff',
      positions: { TJ: 'objected', KZ: 'pending' },
      objection: { state: 'TJ', reason: 'The tariff annex is not agreed' },
    });
    expect(report.byState.find((s: { code: string }) => s.code === 'TJ')).toMatchObject({ objected: 1 });

    const pdf = await rep.get(`/api/reports/progress?summit=${summit}&lang=ru&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`progress-report-${summit}-ru.pdf`);
    // Lines wrap where the page ends them, long ids after a hyphen: read the text as one flow.
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, ' ').replace(/- /g, '-');
    expect(text).toContain(`Доклад о ходе выполнения решений: ${summit}`);
    expect(text).toContain(`Test initiative ${inSignoff}`);
    expect(text).toMatch(/Возражение: Таджикистан, .*The tariff annex is not agreed/);

    const docx = await rep.get(`/api/reports/progress?summit=${summit}&format=docx`);
    expect(docx.headers.get('content-type')).toBe(DOCX);
    expect(docxText(docx.bytes)).toContain('Objection by Tajikistan');

    // Nothing without signing in; unknown summits and bad parameters are named.
    expect((await anonymous().get(`/api/reports/progress?summit=${summit}`)).status).toBe(401);
    expect((await anonymous().get('/api/reports/handover?year=2027')).status).toBe(401);
    expect((await rep.get('/api/reports/progress?summit=no-such-summit')).status).toBe(404);
    const badLang = await rep.get(`/api/reports/progress?summit=${summit}&lang=de`);
    expect([badLang.status, badLang.body.errors?.[0]?.field]).toEqual([422, 'lang']);
    const badYear = await rep.get('/api/reports/handover?year=99');
    expect([badYear.status, badYear.body.errors?.[0]?.field]).toEqual([422, 'year']);
  });

  it('keeps a report as it stood, and opens a later one with what changed since', async () => {
    const summit = uniqueId('kept-summit');
    const id = await startedInitiative('kept-signoff', { to: 'signoff', summit });
    const sec = asPerson('secretariat');
    await settled('the round in the report', async () => {
      const reply = await sec.get(`/api/reports/progress?summit=${summit}`);
      return reply.body.initiatives?.[0]?.positions?.KZ === 'pending';
    });
    expect((await asPerson('rep-kz').post('/api/reports/progress/snapshots', { summit })).status).toBe(403);
    expect((await sec.post('/api/reports/progress/snapshots', { summit: 'no-such-summit' })).status).toBe(404);
    const kept = await sec.post('/api/reports/progress/snapshots', { summit, note: 'For the senior officials' });
    expect(kept.status).toBe(201);
    expect(kept.body).toMatchObject({ summit, takenBy: 'secretariat', note: 'For the senior officials' });
    expect(kept.body.id).toMatch(/^[0-9a-f]{16}$/);

    const approved = await asPerson('rep-kz').post(`/api/initiatives/${id}/decisions`, {
      state: 'KZ',
      decision: 'approve',
      revision: 1,
    });
    expect(approved.status).toBe(200);
    const now = await settled("Kazakhstan's approval in the report", async () => {
      const reply = await sec.get(`/api/reports/progress?summit=${summit}`);
      return reply.body.initiatives?.[0]?.positions?.KZ === 'approved' && reply.body;
    });
    expect(now.initiatives[0].positions.KZ).toBe('approved');

    // The kept report is as it was: Kazakhstan had not decided.
    const asKept = await asPerson('rep-kg').get(`/api/reports/progress/snapshots/${kept.body.id}`);
    expect(asKept.body.initiatives[0].positions.KZ).toBe('pending');
    const list = await asPerson('rep-kg').get(`/api/reports/progress/snapshots?summit=${summit}`);
    expect(list.body.items.map((k: { id: string }) => k.id)).toEqual([kept.body.id]);

    const since = await sec.get(`/api/reports/progress?summit=${summit}&since=${kept.body.id}&lang=ru&format=pdf`);
    const text = (await pdfText(since.bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Что изменилось после доклада, сохранённого');
    expect(text).toContain('Казахстан: ожидает решения → одобрено');

    // A kept report of another summit, an unknown one or a malformed id: named, nothing else shown.
    expect((await sec.get(`/api/reports/progress?summit=tashkent-2025&since=${kept.body.id}`)).status).toBe(404);
    expect((await sec.get('/api/reports/progress/snapshots/0000000000000000')).status).toBe(404);
    const bad = await sec.get('/api/reports/progress/snapshots/not-an-id');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([422, 'id']);
  });

  it('hands over every open initiative to the next Chair, and says when no Chair is entered', async () => {
    const id = await startedInitiative('report-handover', { to: 'signoff' });
    // The seeded rotation ends with Turkmenistan's 2026 chairmanship: nobody is entered for 2027.
    const pack = await settled('the initiative in the handover pack', async () => {
      const reply = await asPerson('secretariat').get('/api/reports/handover?year=2027');
      return reply.status === 200 && reply.body.open.some((i: { id: string }) => i.id === id) && reply.body;
    });
    expect(pack).toMatchObject({ year: 2027, outgoingChair: 'TM', from: '2027-01-01' });
    expect(pack.chairState).toBeUndefined();
    const docx = await asPerson('secretariat').get('/api/reports/handover?year=2027&lang=ru&format=docx');
    expect(docx.status).toBe(200);
    const text = docxText(docx.bytes);
    expect(text).toContain('Председатель на 2027 год не указан');
    expect(text).toContain(`Test initiative ${id}`);
  });

  it("are linked from the Initiatives page in the reader's language, and download with the session", async () => {
    const reader = await addPerson({ roles: ['official'], state: 'KG', locale: 'ru' }, 'report-reader');
    const session = await signIn(reader.email);
    const page = (await session.get('/initiatives', { accept: 'text/html' })).text;
    expect(page).toContain('Доклады к следующему саммиту');
    const href = page.match(/href="(\/api\/reports\/progress\?summit=tashkent-2025&amp;lang=ru&amp;format=pdf)"/)?.[1];
    expect(href).toBeDefined();
    const pdf = await session.get(href!.replace(/&amp;/g, '&'));
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect((await pdfText(pdf.bytes)).replace(/\s+/g, ' ')).toContain(
      'Доклад о ходе выполнения решений: Седьмая Консультативная встреча глав государств Центральной Азии (Ташкент',
    );
  });
});
