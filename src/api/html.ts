/** Small server-rendered pages (sign-in and action-link confirmations, error pages): escaped text, no scripts. */

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Marks a string as already-safe HTML. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    const part = (x: unknown): string =>
      x instanceof Html
        ? x.value
        : Array.isArray(x)
          ? x.map(part).join('')
          : x === undefined || x === null || x === false
            ? ''
            : escapeHtml(String(x));
    out += part(v) + strings[i + 1];
  });
  return new Html(out);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1f24}
h1{font-size:1.4rem}button{font-size:1rem;padding:.5rem 1.2rem;cursor:pointer}textarea{width:100%;min-height:5rem}
.note{color:#57606a;font-size:.9rem}.error{border-left:4px solid #cf222e;padding-left:1rem}label{display:block;margin:.3rem 0}`;

/** A page in the reader's language (`lang`), styled like the application's. */
export function page(title: string, body: Html, lang: 'en' | 'ru' = 'en'): string {
  return (
    `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Summit Follow-up</title><link rel="stylesheet" href="/assets/web.css"><style>${STYLE}</style></head>` +
    `<body>${body.value}</body></html>`
  );
}
