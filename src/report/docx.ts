/**
 * A report document (src/report/document.ts) as an editable Word file, with the `docx` library: the same
 * headings, quotes and tables as the PDF, in Word's own heading styles so the Secretariat can restyle and
 * amend it before it goes to the heads of state.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block, ReportDocument } from './document';

const FONT = 'DejaVu Sans';
const RULE = { style: BorderStyle.SINGLE, size: 4, color: 'B0B0B0' };

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const cell = (text: string, width: number, head: boolean) =>
    new TableCell({
      width: { size: Math.round(width * 100), type: WidthType.PERCENTAGE },
      ...(head ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } } : {}),
      children: [new Paragraph({ children: [new TextRun({ text, bold: head, size: 18, font: FONT })] })],
    });
  const rows = b.rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, b.widths[i], false)) }));
  const head = b.head.some((h) => h !== '')
    ? [new TableRow({ tableHeader: true, children: b.head.map((c, i) => cell(c, b.widths[i], true)) })]
    : [];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: RULE, bottom: RULE, left: RULE, right: RULE, insideHorizontal: RULE, insideVertical: RULE },
    rows: [...head, ...rows],
  });
}

function block(b: Block): (Paragraph | Table)[] {
  const run = (text: string, opts: { italics?: boolean; size?: number; color?: string } = {}) =>
    new TextRun({ text, font: FONT, ...opts });
  switch (b.kind) {
    case 'title':
      return [new Paragraph({ heading: HeadingLevel.TITLE, children: [run(b.text)] })];
    case 'subtitle':
      return [new Paragraph({ children: [run(b.text, { color: '555555' })] })];
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(b.text)] })];
    case 'subheading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(b.text)] })];
    case 'para':
      return [new Paragraph({ children: [run(b.text, { size: 20 })] })];
    case 'quote':
      return [
        new Paragraph({ indent: { left: 360 }, children: [run(`“${b.text}”`, { italics: true, size: 20 })] }),
        new Paragraph({ indent: { left: 360 }, children: [run(b.cite, { size: 16, color: '555555' })] }),
      ];
    case 'table':
      return [table(b), new Paragraph({ alignment: AlignmentType.LEFT, children: [] })];
  }
}

/** The document as a .docx file. */
export function renderDocx(d: ReportDocument): Promise<Buffer> {
  const doc = new Document({
    title: d.title,
    creator: 'Summit Follow-up',
    lastModifiedBy: 'Summit Follow-up',
    styles: {
      default: { document: { run: { font: FONT, language: { value: d.lang === 'ru' ? 'ru-RU' : 'en-GB' } } } },
    },
    sections: [{ children: d.blocks.flatMap(block) }],
  });
  return Packer.toBuffer(doc);
}
