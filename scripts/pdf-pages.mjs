// Renders each page of a PDF to a PNG (MuPDF), to look at the report samples page by page:
//   npm run -s report:pages -- docs/samples/progress-report-tashkent-2025-ru.pdf /tmp/pages
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as mupdf from 'mupdf';

const [file, outDir = '.'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run -s report:pages -- FILE.pdf [OUT_DIR]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const doc = mupdf.Document.openDocument(readFileSync(file), 'application/pdf');
const pages = doc.countPages();
for (let i = 0; i < pages; i += 1) {
  const pixmap = doc.loadPage(i).toPixmap(mupdf.Matrix.scale(1.5, 1.5), mupdf.ColorSpace.DeviceRGB, false, true);
  writeFileSync(join(outDir, `${basename(file, '.pdf')}-${i + 1}.png`), pixmap.asPNG());
}
console.log(`${pages} pages of ${file} in ${outDir}`);
