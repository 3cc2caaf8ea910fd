/**
 * The text of a PDF as a reader's viewer extracts it (pdf-parse, on Mozilla's PDF.js). PDF.js loads itself as an
 * ES module, which jest's CommonJS sandbox cannot: it runs in a node process of its own.
 */
import { execFileSync } from 'node:child_process';

const EXTRACT = `
import { PDFParse } from 'pdf-parse';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { text } = await new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) }).getText();
process.stdout.write(text);
`;

export async function pdfText(pdf: Buffer): Promise<string> {
  return execFileSync(process.execPath, ['--input-type=module', '-e', EXTRACT], {
    input: pdf,
    cwd: `${__dirname}/../..`,
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8');
}
