/**
 * Importing a summit file from the web: first a preview of what it would start and change, field by field,
 * with nothing written; then the uploader alone starts it, once. What the file does not hold is kept: a
 * state's calendar edits, a person's own time zone.
 */
import { addPerson, asPerson, signIn } from '../support/api-client';
import { testStack, uniqueId } from '../support/stack';

const html = { accept: 'text/html' };

/** Uploads `file` to the import form as `token`'s holder; the page it answers with. */
async function upload(file: object, token: string) {
  const body = new FormData();
  body.append('file', new Blob([JSON.stringify(file)], { type: 'application/json' }), 'summit.json');
  const res = await fetch(`${testStack().apiUrl}/secretariat/import`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}`, ...html },
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

describe('importing a summit file from the web', () => {
  it('shows what it would start and change before anything is written, and starts it once, for its uploader only', async () => {
    const sec = asPerson('secretariat');
    const id = uniqueId('preview');
    const existing = await addPerson(
      { roles: ['official'], state: 'TM', locale: 'en', timeZone: 'Europe/Budapest' },
      'preview-official',
    );
    // A calendar edit and a person's own time zone: the file holds neither, so the import keeps both.
    const calendarPath = '/api/directory/states/TM/calendar';
    const edits = (await sec.get(`${calendarPath}?year=2032`)).body.edits ?? {};
    const day = { date: '2032-03-03', name: `Import test day ${id}`, source: 'test' };
    expect((await sec.put(calendarPath, { ...edits, added: [...(edits.added ?? []), day] })).status).toBe(200);

    const tm = (await sec.get('/api/directory/states/TM')).body;
    const file = {
      summit: { id: 'preview-summit', date: '2026-11-16', city: 'Tashkent', title: `Preview ${id}`, source: 'test' },
      states: [{ code: 'TM', name: tm.name, timeZone: tm.timeZone, admittedOn: tm.admittedOn }],
      people: [
        {
          id: existing.id,
          name: 'Focal point, renamed',
          email: `new-${existing.email}`,
          roles: ['official'],
          state: 'TM',
          locale: 'en',
        },
      ],
      initiatives: [
        { id, title: `Imported ${id}`, proposingState: 'TM', summit: 'preview-summit', category: 'culture' },
      ],
    };
    const token = testStack().tokens.secretariat;
    const preview = await upload(file, token);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(`<h1>Before importing: Preview ${id}</h1>`);
    expect(preview.text).toContain('To be started: 1');
    expect(preview.text).toContain(`Imported ${id} <code>${id}</code>`);
    expect(preview.text).toMatch(
      /<code>name<\/code><\/td><td>Test person preview-official[^<]*<\/td><td>Focal point, renamed<\/td>/,
    );
    expect(preview.text).toContain('the previous holder’s sign-in links, sessions and tokens stop working');
    // Turkmenistan as the file has it is Turkmenistan as stored: its calendar edits are not the file's to change.
    expect(preview.text).toContain('0 new, 0 changed, 1 unchanged');
    // Nothing written yet.
    expect((await sec.get(`/api/initiatives/${id}`)).status).toBe(404);
    expect((await sec.get(`/api/directory/people/${existing.id}`)).body.email).toBe(existing.email);

    const pending = /name="pending" value="([^"]+)"/.exec(preview.text)![1];
    expect(pending).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // Another Secretariat officer cannot start someone else's preview, nor can anyone without its id.
    const confirm = (pending: string) =>
      sec.post('/secretariat/import/confirm', new URLSearchParams({ pending }).toString(), form);
    const other = await signIn((await addPerson({ roles: ['secretariat'] }, 'preview-other-sec')).email);
    const byOther = await other.post(
      '/secretariat/import/confirm',
      new URLSearchParams({ pending, _csrf: other.csrfToken }).toString(),
      form,
    );
    expect(byOther.status).toBe(409);
    const forged = await confirm('A'.repeat(24));
    expect(forged.status).toBe(409);
    expect(forged.text).toContain('this preview is no longer open');

    const done = await confirm(pending);
    expect([done.status, done.headers.get('location')]).toEqual([303, '/initiatives#outcome']);
    expect((await sec.get(`/api/initiatives/${id}`)).status).toBe(200);
    const person = (await sec.get(`/api/directory/people/${existing.id}`)).body;
    expect(person).toMatchObject({ name: 'Focal point, renamed', timeZone: 'Europe/Budapest' });
    const kept = (await sec.get(`${calendarPath}?year=2032`)).body.edits;
    expect(kept.added).toContainEqual(day);
    // Once only.
    expect((await confirm(pending)).status).toBe(409);

    expect((await sec.put(calendarPath, edits)).status).toBe(200);
  });
});
