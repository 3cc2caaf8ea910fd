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

const ATTACHMENTS = `
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const files = (await doc.getAttachments()) ?? {};
const out = {};
for (const [name, f] of Object.entries(files)) out[f.filename ?? name] = Buffer.from(f.content).toString('base64');
process.stdout.write(JSON.stringify(out));
`;

/** The files a PDF carries as attachments, by name, as a PDF reader lists them (PDF.js). */
export async function pdfAttachments(pdf: Buffer): Promise<Record<string, Buffer>> {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', ATTACHMENTS], {
    input: pdf,
    cwd: `${__dirname}/../..`,
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8');
  return Object.fromEntries(
    Object.entries(JSON.parse(out) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  );
}
