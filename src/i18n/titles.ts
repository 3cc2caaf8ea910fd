/** An initiative's title and summary in the reader's language: the Russian ones where the Secretariat gave them. */
type Lang = 'en' | 'ru';

export const titleIn = (x: { title: string; titleRu?: string }, lang: Lang): string =>
  (lang === 'ru' && x.titleRu) || x.title;

export const summaryIn = (x: { summary?: string; summaryRu?: string }, lang: Lang): string | undefined =>
  (lang === 'ru' && x.summaryRu) || x.summary;
