/**
 * A report document (src/report/document.ts) as PDF, with PDFKit: A4, DejaVu Sans (Latin and Cyrillic, shipped
 * as an npm package so every machine renders the same), tables that break across pages with their header
 * repeated. The creation date is the report's own, so the same report gives the same file.
 */
import PDFDocument from 'pdfkit';
import type { Block, ReportDocument } from './document';

const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const OBLIQUE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf');
const MARGIN = 56;
const CELL_PAD = 4;
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#b0b0b0';

type Pdf = InstanceType<typeof PDFDocument>;

function table(doc: Pdf, b: Extract<Block, { kind: 'table' }>): void {
  if (b.widths.length === 0) return;
  const width = doc.page.width - 2 * MARGIN;
  const xs = b.widths.reduce<number[]>((acc, w, i) => [...acc, acc[i] + w * width], [MARGIN]);
  const bottom = () => doc.page.height - MARGIN;
  const size = (font: string) => (font === BOLD ? 8.5 : 9);
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(size(font));
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: xs[i + 1] - xs[i] - 2 * CELL_PAD })));
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const h = rowHeight(cells, font) + 2 * CELL_PAD;
    if (doc.y + h > bottom()) doc.addPage();
    const y = doc.y;
    if (fill) doc.rect(MARGIN, y, width, h).fill(fill);
    doc.font(font).fontSize(size(font)).fillColor(INK);
    cells.forEach((c, i) =>
      doc.text(c, xs[i] + CELL_PAD, y + CELL_PAD, { width: xs[i + 1] - xs[i] - 2 * CELL_PAD, lineBreak: true }),
    );
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
    return h;
  };
  const hasHead = b.head.some((h) => h !== '');
  const head = () => hasHead && drawRow(b.head, BOLD, '#eeeeee');
  if (doc.y + rowHeight(b.head, BOLD) * 3 > bottom()) doc.addPage();
  head();
  for (const row of b.rows) {
    const h = rowHeight(row, FONT) + 2 * CELL_PAD;
    if (doc.y + h > bottom()) {
      doc.addPage();
      head();
    }
    drawRow(row, FONT);
  }
  doc.moveDown(0.8);
}

function block(doc: Pdf, b: Block): void {
  const text = (font: string, size: number, value: string, opts: PDFKit.Mixins.TextOptions = {}, color = INK) => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(value, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN, ...opts });
  };
  switch (b.kind) {
    case 'title':
      text(BOLD, 18, b.text);
      doc.moveDown(0.4);
      return;
    case 'subtitle':
      text(FONT, 11, b.text, {}, MUTED);
      doc.moveDown(1);
      return;
    case 'heading':
    case 'subheading': {
      // A heading starts a page rather than end one: it needs room for what it heads.
      const [size, room, after] = b.kind === 'heading' ? [14, 120, 0.5] : [11.5, 160, 0.3];
      if (doc.y > doc.page.height - MARGIN - room) doc.addPage();
      doc.moveDown(0.6);
      text(BOLD, size, b.text);
      doc.moveDown(after);
      return;
    }
    case 'para':
      text(FONT, 10, b.text);
      doc.moveDown(0.5);
      return;
    case 'quote':
      text(OBLIQUE, 10, `“${b.text}”`, { indent: 12 });
      text(FONT, 8.5, b.cite, { indent: 12 }, MUTED);
      doc.moveDown(0.5);
      return;
    case 'table':
      table(doc, b);
  }
}

/** A file carried inside the PDF (an evidence pack's sealed JSON), listed by readers among its attachments. */
export interface PdfAttachment {
  name: string;
  data: Buffer;
  type: string;
  description: string;
}

/** The document as a PDF file; `createdAt` is recorded as its creation date. */
export function renderPdf(d: ReportDocument, createdAt: Date, attachments: PdfAttachment[] = []): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: d.lang,
    displayTitle: true,
    info: { Title: d.title, Creator: 'Summit Follow-up', Producer: 'Summit Follow-up', CreationDate: createdAt },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const b of d.blocks) block(doc, b);
  for (const a of attachments)
    doc.file(a.data, {
      name: a.name,
      type: a.type,
      description: a.description,
      creationDate: createdAt,
      modifiedDate: createdAt,
    });
  // Page numbers, once the number of pages is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Below the bottom margin: without lifting it PDFKit would start a new page for the footer.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 8, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
