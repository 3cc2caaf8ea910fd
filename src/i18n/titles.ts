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
