/** The audit trail's CSV export on the web: flat columns in the reader's language and zone, readable by spreadsheets. */
import { addPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { testStack } from '../support/stack';

describe('the audit CSV of the web pages', () => {
  it('gives a Russian-speaking reader flat columns with local times, words instead of JSON, and a BOM', async () => {
    const id = await startedInitiative('web-csv', { to: 'signoff' });
    const browser = await signIn('rep-kz@example.org');
    const page = await browser.get(`/initiatives/${id}`, { accept: 'text/html' });
    expect(page.text).toContain(`href="/initiatives/${id}/audit.csv" download>Экспорт в CSV</a>`);

    const csv = await settled('the export with the sign-off round', async () => {
      const res = await browser.get(`/initiatives/${id}/audit.csv`);
      return res.text.includes('Открыт раунд согласования') ? res : undefined;
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename=${id}-audit.csv`);
    // Read as bytes: a text decoder would drop the BOM that the spreadsheet needs.
    const raw = Buffer.from(
      await (
        await fetch(`${testStack().apiUrl}/initiatives/${id}/audit.csv`, { headers: { cookie: browser.cookie } })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Местное время,Часовой пояс,Событие,Редакция,Кто,От имени,Государство,Подробности,Момент UTC',
    );
    // Kazakhstan's representative reads times in Almaty's zone; the UTC instant stays for machines.
    const started = lines[1].split(',');
    expect(started[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(started[1]).toBe('Asia/Almaty');
    expect(started[2]).toBe('Начата');
    expect(started.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(csv.text).not.toMatch(/[{}]/);
  });

  it('offers the signed evidence pack beside it, to a reader signed in on the web', async () => {
    const id = await startedInitiative('web-pack');
    const reader = await addPerson({ roles: ['official'], state: 'KG', locale: 'ru' }, 'web-pack');
    const browser = await signIn(reader.email);
    const page = await browser.get(`/initiatives/${id}`, { accept: 'text/html' });
    const href = `/api/initiatives/${id}/evidence`;
    expect(page.text).toContain(`href="${href}" download>Пакет доказательств (JSON с подписью)</a>`);
    const pack = await browser.get(href);
    expect(pack.status).toBe(200);
    expect(pack.headers.get('content-disposition')).toBe(`attachment; filename=${id}-evidence.json`);
    expect(pack.body).toMatchObject({ format: 'summit-followup/evidence-pack', initiative: { id, stage: 'proposed' } });
  });
});
