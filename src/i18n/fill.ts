/** Fills a text's `{name}` placeholders from `vars`; a placeholder without a value stays as written. */
export const fill = (text: string, vars?: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
