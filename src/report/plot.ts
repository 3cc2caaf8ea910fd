/**
 * Small SVG charts for the dashboards, for those who would rather look than read. No dependency and no script: a
 * string a page or a report embeds. Accessible: each chart is an image named by its title (role="img", <title>),
 * every bar carries its value as text and its own <title>, and no meaning rests on colour alone (the parts of a
 * stacked bar are named, in order, in the legend and in the figures printed after the bar).
 */
import { escapeHtml as esc } from '../email/render';

export interface Bar {
  label: string;
  /** Undefined: no data, drawn as "n/a" rather than as a zero-length bar. */
  value: number | undefined;
  /** Printed after the value, e.g. "3 of 4". */
  note?: string;
}

const ROW = 24;
const TOP = 28;
const FILLS = ['#1f4e79', '#6f9fd8', '#d9d9d9', '#b85450'] as const;

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Sizes shared by both charts: the label column, the bar area and the text after the bar. */
function layout(width: number) {
  const labelW = Math.round(width * 0.25);
  const textW = Math.round(width * 0.3);
  return { labelW, barW: width - labelW - textW - 16, x0: labelW + 8 };
}

function frame(title: string, width: number, height: number, body: string): string {
  const t = esc(title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${t}" font-family="sans-serif" font-size="12"><title>${t}</title>` +
    `<text x="0" y="16" font-weight="bold">${t}</text>${body}</svg>`
  );
}

/** Horizontal bars, one a row, scaled to `max` (the largest value when left out). */
export function barChart(args: {
  title: string;
  bars: readonly Bar[];
  max?: number;
  unit?: string;
  width?: number;
  /** Shown for a bar without data, in the reader's language; "n/a" when left out. */
  none?: string;
}): string {
  const width = args.width ?? 560;
  const { labelW, barW, x0 } = layout(width);
  const max = args.max ?? Math.max(0, ...args.bars.map((b) => b.value ?? 0));
  const unit = args.unit ?? '';
  const rows = args.bars.map((b, i) => {
    const y = TOP + i * ROW;
    const w = b.value === undefined || max <= 0 ? 0 : Math.round((Math.min(b.value, max) / max) * barW);
    const text =
      (b.value === undefined ? (args.none ?? 'n/a') : `${fmt(b.value)}${unit}`) + (b.note ? ` (${b.note})` : '');
    return (
      `<g><title>${esc(`${b.label}: ${text}`)}</title>` +
      `<text x="${labelW}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${x0}" y="${y + 4}" width="${w}" height="${ROW - 8}" fill="${FILLS[0]}"/>` +
      `<text x="${x0 + w + 6}" y="${y + 15}">${esc(text)}</text></g>`
    );
  });
  return frame(args.title, width, TOP + args.bars.length * ROW + 4, rows.join(''));
}

/**
 * Rows of stacked parts (e.g. delivered, in progress, not started), all rows on one scale so longer means more.
 * `keys` names the parts in order; each row's `values` follow them.
 */
export function stackedBar(args: {
  title: string;
  keys: readonly string[];
  rows: readonly { label: string; values: readonly number[] }[];
  width?: number;
}): string {
  const width = args.width ?? 560;
  const { labelW, barW, x0 } = layout(width);
  const max = Math.max(0, ...args.rows.map((r) => r.values.reduce((s, v) => s + v, 0)));
  const legend = args.keys
    .map(
      (k, i) =>
        `<rect x="${i * 130}" y="${TOP}" width="10" height="10" fill="${FILLS[i % FILLS.length]}"/>` +
        `<text x="${i * 130 + 14}" y="${TOP + 9}">${i + 1}. ${esc(k)}</text>`,
    )
    .join('');
  const rows = args.rows.map((r, i) => {
    const y = TOP + ROW + i * ROW;
    let x = x0;
    const parts = r.values.map((v, j) => {
      const w = max > 0 ? Math.round((v / max) * barW) : 0;
      const rect = `<rect x="${x}" y="${y + 4}" width="${w}" height="${ROW - 8}" fill="${FILLS[j % FILLS.length]}" stroke="#fff"><title>${esc(`${r.label}, ${args.keys[j] ?? ''}: ${fmt(v)}`)}</title></rect>`;
      x += w;
      return rect;
    });
    const text = r.values.map((v, j) => `${args.keys[j] ?? ''} ${fmt(v)}`).join(' · ');
    return (
      `<g><title>${esc(`${r.label}: ${text}`)}</title>` +
      `<text x="${labelW}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>${parts.join('')}` +
      `<text x="${x0 + barW + 6}" y="${y + 15}">${esc(r.values.map(fmt).join(' / '))}</text></g>`
    );
  });
  return frame(args.title, width, TOP + ROW * (args.rows.length + 1) + 4, legend + rows.join(''));
}
