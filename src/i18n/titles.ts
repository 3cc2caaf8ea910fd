/** Titles in the reader's language: the Russian ones where the Secretariat gave them. */
type Lang = 'en' | 'ru';

export const titleIn = (x: { title: string; titleRu?: string }, lang: Lang): string =>
  (lang === 'ru' && x.titleRu) || x.title;

/** A summit's title and city in the reader's language. */
export const summitIn = <S extends { title: string; city: string; titleRu?: string; cityRu?: string }>(
  s: S,
  lang: Lang,
): { title: string; city: string } => ({
  title: (lang === 'ru' && s.titleRu) || s.title,
  city: (lang === 'ru' && s.cityRu) || s.city,
});

export const summaryIn = (x: { summary?: string; summaryRu?: string }, lang: Lang): string | undefined =>
  (lang === 'ru' && x.summaryRu) || x.summary;

/** A day off a due date falls on, in the reader's language: the holiday's name, or the weekday ("суббота"). */
export function dayOffName(off: { date: string; name: string; nameRu?: string; kind: string }, lang: Lang): string {
  if (off.kind === 'weekend') {
    const weekday = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
    return weekday.format(new Date(`${off.date}T12:00:00Z`));
  }
  return (lang === 'ru' && off.nameRu) || off.name;
}

/** "Kazakhstan — Nauryz (2027-03-22)": a state's day off, in the reader's language. */
export const stateDayOff = (
  off: { state: string; date: string; name: string; nameRu?: string; kind: string },
  lang: Lang,
  stateName: (code: string) => string,
): string => `${stateName(off.state)} — ${dayOffName(off, lang)} (${off.date})`;
