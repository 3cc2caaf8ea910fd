/** The Secretariat's inbox warns of a year the rotation calendar has no Chair for, and leads to the form that fills it. */
import { dayOf } from '../../src/domain/delegation';
import { rotationGap } from '../../src/domain/rotation';
import { addPerson, asPerson, signIn } from '../support/api-client';

describe("the Secretariat's warning of a missing Chair", () => {
  it("names the year and the rotation date, in the reader's language, and is not shown to anyone else", async () => {
    const rotation = (await asPerson('secretariat').get('/api/directory/rotation')).body.items as {
      year: number;
      chairState: string;
      from: string;
      to: string;
    }[];
    const gap = rotationGap(rotation, dayOf(new Date(), 'Asia/Tashkent'));
    const reader = await addPerson({ roles: ['secretariat'], locale: 'ru' }, 'rotation-sec');
    const page = (await (await signIn(reader.email)).get('/', { accept: 'text/html' })).text;
    if (gap) {
      expect(page).toContain(`<a href="/secretariat/directory/rotation">На ${gap.year} год не указан Председатель`);
      if (gap.daysLeft > 0)
        expect(page).toContain(`председательство переходит ${gap.from.slice(8, 10).replace(/^0/, '')}`);
    } else {
      expect(page).not.toContain('не указан Председатель');
    }
    const official = await addPerson({ roles: ['official'], state: 'UZ', locale: 'ru' }, 'rotation-official');
    expect((await (await signIn(official.email)).get('/', { accept: 'text/html' })).text).not.toContain(
      'не указан Председатель',
    );
  });

  it('names the summit of the year in the reader’s language, as the summit file gives it', async () => {
    const ru = await addPerson({ roles: ['official'], state: 'UZ', locale: 'ru' }, 'rotation-ru');
    const en = await addPerson({ roles: ['official'], state: 'UZ', locale: 'en' }, 'rotation-en');
    const pageOf = async (email: string) =>
      (await (await signIn(email)).get('/rotation?year=2025', { accept: 'text/html' })).text;
    expect(await pageOf(ru.email)).toContain(
      '<strong>Саммит в городе Ташкент</strong>: Седьмая Консультативная встреча глав государств Центральной Азии',
    );
    expect(await pageOf(en.email)).toContain(
      '<strong>Summit in Tashkent</strong>: 7th Consultative Meeting of the Heads of State of Central Asia',
    );
  });
});
