/** The text of a .docx as a word processor shows it: one line per paragraph (and per table cell). */
import { strFromU8, unzipSync } from 'fflate';

export function docxText(docx: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']);
  return xml
    .replace(/<w:p[ >][^]*?<\/w:p>/g, (p) => `${p.replace(/<[^>]+>/g, '')}\n`)
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}
