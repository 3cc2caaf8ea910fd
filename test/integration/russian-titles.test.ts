/**
 * An initiative's title and summary in Russian, where the Secretariat gives them: a reader in Russian sees them on
 * the page, in the list and in the subject of their email; a reader in English sees the English ones; the list's
 * search finds the initiative in either language.
 */
import { addPerson, asPerson, settled, signIn } from '../support/api-client';
import { waitForEmails } from '../support/mail';
import { uniqueId } from '../support/stack';

describe('an initiative titled in Russian too', () => {
  it('shows each reader the title and summary in their language, and is found by either', async () => {
    const sec = asPerson('secretariat');
    const id = uniqueId('titled-ru');
    const titleRu = `Цифровой транзитный коридор ${id}`;
    const started = await sec.post('/api/initiatives', {
      id,
      title: `Digital Transit Corridor ${id}`,
      summary: 'A single window for customs data.',
      titleRu,
      summaryRu: 'Единое окно для таможенных данных.',
      proposingState: 'KZ',
      summit: 'tashkent-2025',
      category: 'transport',
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ titleRu, summaryRu: 'Единое окно для таможенных данных.' });

    // The lead official reads in Russian: the assignment email's subject carries the Russian title.
    const lead = await addPerson({ roles: ['official'], state: 'KZ', locale: 'ru' }, 'titled-lead');
    const assigned = await sec.post(`/api/initiatives/${id}/assignment`, {
      leadState: 'KZ',
      officialId: lead.id,
      draftDueAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    expect(assigned.status).toBe(200);
    const [mail] = await waitForEmails(
      'the assignment email to the Russian-reading lead',
      (m) => m.to.some((t) => t.address === lead.email) && m.subject.startsWith('Назначено ведущее государство'),
    );
    expect(mail.subject).toContain(titleRu);

    const ru = await signIn(lead.email);
    const page = (await ru.get(`/initiatives/${id}`)).text;
    expect(page).toContain(`<h1>${titleRu}</h1>`);
    expect(page).toContain('<p>Единое окно для таможенных данных.</p>');
    expect(page).not.toContain(`Digital Transit Corridor ${id}`);

    const en = await signIn((await addPerson({ roles: ['secretariat'] }, 'titled-en')).email);
    const enPage = (await en.get(`/initiatives/${id}`)).text;
    expect(enPage).toContain(`<h1>Digital Transit Corridor ${id}</h1>`);
    expect(enPage).toContain('<p>A single window for customs data.</p>');

    // The list finds it by a word of either title, and gives the Russian one beside the English.
    for (const q of ['коридор', 'Corridor']) {
      const items = await settled(`the list searched for “${q}”`, async () => {
        const found = await sec.get(`/api/initiatives?q=${encodeURIComponent(`${q} ${id}`)}`);
        return found.body.items?.length ? (found.body.items as { id: string; titleRu?: string }[]) : undefined;
      });
      expect(items.map((i) => [i.id, i.titleRu])).toEqual([[id, titleRu]]);
    }
    const list = (await ru.get(`/initiatives?q=${encodeURIComponent(id)}`)).text;
    expect(list).toContain(`>${titleRu}</a>`);
  });

  it("takes the Russian title and summary from the Secretariat's start form", async () => {
    const id = uniqueId('titled-form');
    const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    const fields = {
      id,
      title: `Common transport strategy ${id}`,
      titleRu: `Общая транспортная стратегия ${id}`,
      summary: 'One strategy for the region.',
      summaryRu: 'Единая стратегия для региона.',
      proposingState: 'UZ',
      summit: 'tashkent-2025',
      category: 'transport',
    };
    const posted = await asPerson('secretariat').post(
      '/secretariat/start',
      new URLSearchParams(fields).toString(),
      form,
    );
    expect(posted.status).toBe(303);
    const ru = await signIn((await addPerson({ roles: ['official'], state: 'UZ', locale: 'ru' }, 'titled-form')).email);
    const page = (await ru.get(`/initiatives/${id}`)).text;
    expect(page).toContain(`<h1>Общая транспортная стратегия ${id}</h1>`);
    expect(page).toContain('<p>Единая стратегия для региона.</p>');
    expect(page).toContain('<dd>транспорт</dd>');
    // The summit by its name in Russian, as the rotation calendar records it.
    expect(page).toContain(
      '<dd>Седьмая Консультативная встреча глав государств Центральной Азии (Ташкент, 16 ноября 2025 г.)</dd>',
    );
  });
});
