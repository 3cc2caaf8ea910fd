/** A refused act on the web pages is explained in the reader's language, by its refusal code, and the form keeps its key's meaning. */
import { randomBytes } from 'node:crypto';
import { asPerson, settled, signIn, startedInitiative } from '../support/api-client';

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
/** The flash message the redirect carries for the next page. */
function flashOf(headers: Headers): { kind: string; text: string } {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('sfu_flash='));
  if (!cookie) throw new Error(`no flash in ${JSON.stringify(headers.getSetCookie())}`);
  return JSON.parse(
    Buffer.from(decodeURIComponent(cookie.split(';')[0].slice('sfu_flash='.length)), 'base64url').toString('utf8'),
  );
}

describe('refusals on the web pages', () => {
  it('tells a Russian-speaking representative, in Russian, why a second decision or a reused form is refused', async () => {
    const id = await startedInitiative('web-refusal', { to: 'signoff' });
    const browser = await signIn('rep-kg@example.org');
    const decide = (fields: Record<string, string>) =>
      browser.post(
        `/initiatives/${id}/decisions`,
        new URLSearchParams({ revision: '1', _csrf: browser.csrfToken, ...fields }).toString(),
        form,
      );
    const key = `web-${randomBytes(16).toString('base64url')}`;

    const first = await decide({ decision: 'approve', _key: key });
    expect(first.status).toBe(303);
    // The outcome is the first thing the next page shows, scrolled to and focused.
    expect(first.headers.get('location')).toBe(`/initiatives/${id}#outcome`);
    expect(flashOf(first.headers)).toEqual({
      kind: 'ok',
      text: expect.stringMatching(
        /^Вы записали решение «Одобрено» за Кыргызстан по редакции 1, .+\. Одобрили 1 из \d государств; раунд открыт до .+\.$/,
      ),
    });
    const shown = await browser.get(`/initiatives/${id}`, {
      accept: 'text/html',
      cookie: `${browser.cookie}; ${first.headers.getSetCookie()[0].split(';')[0]}`,
    });
    expect(shown.text).toMatch(
      /<div id="outcome" class="flash flash-ok" role="status" tabindex="-1" autofocus>Вы записали решение/,
    );

    // Refused: the page again, with the reason in an alert beside the acts, in Russian.
    const again = await decide({ decision: 'approve', _key: `web-${randomBytes(16).toString('base64url')}` });
    expect(again.status).toBe(409);
    expect(again.text).toMatch(
      /role="alert" tabindex="-1" autofocus><p>Отклонено: ваше государство уже приняло решение по этой редакции<\/p>/,
    );

    // The same form's key with another decision: not answered with the approval, not a field error either.
    const reused = await decide({ decision: 'object', reason: 'передумали', _key: key });
    expect(reused.status).toBe(422);
    expect(reused.text).toContain(
      'Отклонено: эта форма уже была отправлена с другим содержанием; обновите страницу и отправьте её снова',
    );
    expect(reused.text).not.toContain('Исправьте отмеченные ниже поля');
  });

  it('keeps what a representative typed when the decision is refused', async () => {
    const id = await startedInitiative('web-refusal-kept', { to: 'signoff' });
    const browser = await signIn('rep-tj@example.org');
    const reason = 'Срок реализации <слишком> короткий';
    const stale = await browser.post(
      `/initiatives/${id}/decisions`,
      new URLSearchParams({
        revision: '2',
        decision: 'request_changes',
        reason,
        _csrf: browser.csrfToken,
        _key: `web-${randomBytes(16).toString('base64url')}`,
      }).toString(),
      form,
    );
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Отклонено: редакция на согласовании изменилась; обновите страницу');
    // The reason comes back in its field, escaped, for the person to send again.
    expect(stale.text).toContain('Срок реализации &lt;слишком&gt; короткий</textarea>');
  });

  it("words the Secretariat's inbox in Russian too: an objection awaiting it names the state in Russian", async () => {
    const id = await startedInitiative('inbox-ru', { to: 'signoff' });
    const objected = await asPerson('rep-tm').post(`/api/initiatives/${id}/decisions`, {
      state: 'TM',
      decision: 'object',
      revision: 1,
      reason: 'не согласны с графиком',
    });
    expect(objected.status).toBe(200);
    const browser = await signIn('secretariat@example.org');
    const inRussian = { accept: 'text/html', cookie: `${browser.cookie}; sfu_lang=ru` };
    // The worker records the start, the assignment, the draft and the objection in turn: the inbox shows the
    // initiative as each left it, so wait for the objection's task, not for the initiative's first appearance.
    const text = await settled('the objection in the inbox', async () => {
      const page = await browser.get('/', inRussian);
      const task = page.text.split('<li class="task').find((t) => t.includes(`Test initiative ${id}`));
      return task?.includes('task-objection') ? page.text : undefined;
    });
    expect(text).toContain('Туркменистан возражает: верните проект на доработку или отзовите инициативу.');
    expect(text).not.toContain('objected: return the draft');
  });
});
