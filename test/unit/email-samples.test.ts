/** docs/emails is what `npm run email:samples` renders from the current templates: never stale, never hand-edited. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OUT_DIR, renderSamples } from '../../scripts/email-samples';

describe('the rendered email samples in docs/emails', () => {
  const files = renderSamples();

  it('hold a text and an HTML sample of every kind in both languages, and an index', () => {
    const kinds = [...new Set([...files.keys()].filter((f) => f.endsWith('.txt')).map((f) => f.split('.')[0]))];
    expect(kinds).toHaveLength(20); // 18 notification kinds, the digest and the commitments’ progress notice
    for (const kind of kinds)
      for (const lang of ['en', 'ru'])
        for (const ext of ['txt', 'html']) expect(files.has(`${kind}.${lang}.${ext}`)).toBe(true);
    expect(files.get('README.md')).toContain('| `signoff_requested` |');
  });

  it('are up to date: run `npm run email:samples` after changing a template', () => {
    const onDisk = fs.existsSync(OUT_DIR) ? fs.readdirSync(OUT_DIR).sort() : [];
    expect(onDisk).toEqual([...files.keys()].sort());
    for (const [name, content] of files) expect(fs.readFileSync(path.join(OUT_DIR, name), 'utf8')).toBe(content);
  });
});
