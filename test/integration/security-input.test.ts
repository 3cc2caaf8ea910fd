/**
 * Issue 12, item 7 (text and links), as an attacker would try it against the real stack: control characters
 * in every kind of text field (API, web forms, the summit file), draft links with script and local schemes,
 * and a title holding a CR stored before the API refused it, read back through the calendar feed.
 * Every refusal is a 422 naming the field, and nothing is started, recorded or written.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import mongoose from 'mongoose';
import { HTTP_URL_MESSAGE } from '../../src/app/schemas';
import { workflowIdOf } from '../../src/temporal/client';
import { asPerson, type Reply, settled, startedInitiative } from '../support/api-client';
import { eventually, testStack, uniqueId } from '../support/stack';

const PROBLEM = 'application/problem+json; charset=utf-8';
const secretariat = asPerson('secretariat');
const DAY = 86_400_000;
const ROOT = path.join(__dirname, '..', '..');

let temporal: Client;
let mongo: mongoose.Connection;
beforeAll(async () => {
  temporal = new Client({ connection: await Connection.connect({ address: testStack().temporalAddress }) });
  mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
});
afterAll(async () => {
  await temporal?.connection.close();
  await mongo?.close();
});

/** The fields a 422 problem names, sorted. */
function refusedFields(r: Reply): string[] {
  expect([r.status, r.contentType]).toEqual([422, PROBLEM]);
  return (r.body.errors as { field: string }[]).map((e) => e.field).sort();
}

async function workflowExists(id: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowIdOf(id)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

const eventTypes = async (id: string): Promise<string[]> =>
  ((await secretariat.get(`/api/initiatives/${id}/events`)).body as { type: string }[]).map((e) => e.type);

describe('control characters in API text fields', () => {
  it('a start with a CR, NUL, ESC, C1 control or a line break in a one-line field is refused, naming each field, and no workflow starts', async () => {
    const id = uniqueId('ctl-start');
    const r = await secretariat.post('/api/initiatives', {
      id,
      title: 'Digital Corridor\rEND:VEVENT\rBEGIN:VEVENT',
      summary: 'one\rtwo',
      proposingState: 'KZ',
      summit: 'tashkent-2025\u0000',
      category: 'transport\u001b[2J',
      source: { document: 'News\nBcc: evil@attacker.example', quote: 'said\u0085' },
    });
    expect(refusedFields(r)).toEqual(['category', 'source.document', 'source.quote', 'summary', 'summit', 'title']);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'title',
          message: 'must be one line without control characters; found a carriage return (U+000D) at character 17',
        },
      ]),
    );
    expect(await workflowExists(id)).toBe(false);
    expect((await secretariat.get(`/api/initiatives/${id}`)).status).toBe(404);
  });

  it('a multi-line field takes CRLF as LF and keeps it; a title stays one line', async () => {
    const id = uniqueId('ctl-crlf');
    const r = await secretariat.post('/api/initiatives', {
      id,
      title: 'Corridor\tpilot',
      summary: 'Line one.\r\nLine two.',
      proposingState: 'KZ',
      summit: 'tashkent-2025',
      category: 'transport',
    });
    expect(r.status).toBe(201);
    const read = await secretariat.get(`/api/initiatives/${id}`);
    expect([read.body.title, read.body.summary]).toEqual(['Corridor\tpilot', 'Line one.\nLine two.']);
  });

  it('assign, draft and decide with a control character are refused and record nothing', async () => {
    const proposed = await startedInitiative('ctl-assign');
    const assign = await secretariat.post(`/api/initiatives/${proposed}/assignment`, {
      leadState: 'KZ',
      officialId: 'official-kz\r',
      draftDueAt: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    expect(refusedFields(assign)).toEqual(['officialId']);

    const drafting = await startedInitiative('ctl-draft', { to: 'assigned' });
    const official = asPerson('official-kz');
    expect(
      refusedFields(
        await official.post(`/api/initiatives/${drafting}/drafts`, {
          title: 'Draft\rBEGIN:VEVENT',
          link: 'https://docs.example.org/d1',
        }),
      ),
    ).toEqual(['title']);
    expect(
      refusedFields(
        await official.post(`/api/initiatives/${drafting}/drafts`, {
          title: 'Draft',
          text: 'Article 1.\rArticle 2.\u0007',
        }),
      ),
    ).toEqual(['text']);

    const signoff = await startedInitiative('ctl-decide', { to: 'signoff' });
    const rep = asPerson('rep-uz');
    for (const reason of ['No.\rX-Injected: yes', 'No.\u0000', 'No.\u001b]8;;https://attacker.example\u0007']) {
      expect(
        refusedFields(
          await rep.post(`/api/initiatives/${signoff}/decisions`, {
            state: 'UZ',
            decision: 'object',
            revision: 1,
            reason,
          }),
        ),
      ).toEqual(['reason']);
    }
    expect(
      refusedFields(
        await rep.post(`/api/initiatives/${signoff}/decisions`, {
          state: 'UZ',
          decision: 'approve',
          revision: 1,
          reason: 'fine\u009b',
        }),
      ),
    ).toEqual(['reason']);

    // Nothing was recorded: the workflows' own state, and the audit trail once the worker caught up.
    expect((await secretariat.get(`/api/initiatives/${proposed}`)).body.stage).toBe('proposed');
    const d = (await secretariat.get(`/api/initiatives/${drafting}`)).body;
    expect([d.stage, d.draft]).toEqual(['assigned', undefined]);
    const s = (await secretariat.get(`/api/initiatives/${signoff}`)).body;
    expect([s.stage, s.pendingStates.includes('UZ'), s.round.blockedBy]).toEqual(['signoff', true, undefined]);
    await settled('the sign-off round recorded', async () => (await eventTypes(signoff)).includes('signoff_opened'));
    expect(await eventTypes(proposed)).not.toContain('assigned');
    expect(await eventTypes(drafting)).not.toContain('draft_submitted');
    expect(await eventTypes(signoff)).not.toContain('decided');

    // The same objection with CRLF line breaks is recorded, with LF.
    const ok = await rep.post(`/api/initiatives/${signoff}/decisions`, {
      state: 'UZ',
      decision: 'object',
      revision: 1,
      reason: 'Article 2.\r\nArticle 3.',
    });
    expect(ok.status).toBe(200);
    const decided = await settled('the objection in the audit trail', async () => {
      const events = (await secretariat.get(`/api/initiatives/${signoff}/events`)).body as {
        type: string;
        data: { reason?: string };
      }[];
      return events.find((e) => e.type === 'decided');
    });
    expect(decided.data.reason).toBe('Article 2.\nArticle 3.');
  });

  it('the other acts, tokens, the directory and the list search refuse control characters, naming the field, and write nothing', async () => {
    const id = await startedInitiative('ctl-acts', { to: 'signoff' });
    const due = new Date(Date.now() + 20 * DAY).toISOString();
    const cases: [string, Promise<Reply>, string[]][] = [
      [
        'deadline reason',
        secretariat.post(`/api/initiatives/${id}/deadlines`, { step: 'signoff', dueAt: due, reason: 'late\r' }),
        ['reason'],
      ],
      [
        'withdrawal reason',
        secretariat.post(`/api/initiatives/${id}/withdrawal`, { reason: 'gone\u0000' }),
        ['reason'],
      ],
      [
        'return reason',
        secretariat.post(`/api/initiatives/${id}/return-to-drafting`, { reason: 'redo\u000b' }),
        ['reason'],
      ],
      [
        'milestone title',
        secretariat.post(`/api/initiatives/${id}/milestones`, {
          title: 'Pilot\nURL:x',
          ownerId: 'official-kz',
          dueAt: due,
        }),
        ['title'],
      ],
      ['completion note', secretariat.post(`/api/initiatives/${id}/completion`, { note: 'done\u007f' }), ['note']],
      [
        'milestone completion note',
        secretariat.post(`/api/initiatives/${id}/milestones/pilot/completion`, { note: 'done\r' }),
        ['note'],
      ],
      ['token label', asPerson('rep-kz').post('/api/tokens', { label: 'laptop\r\nX' }), ['label']],
      [
        'state name',
        secretariat.put('/api/directory/states/ZQ', {
          name: { en: 'Zed\r', ru: 'Зед\u0000' },
          timeZone: 'UTC',
          admittedOn: '2026-01-01',
        }),
        ['name.en', 'name.ru'],
      ],
      [
        'person name',
        secretariat.put(`/api/directory/people/${uniqueId('ctl-p')}`, {
          name: 'Eve\r\nBcc: evil@attacker.example',
          email: 'eve@example.org',
          roles: ['official'],
          state: 'KZ',
        }),
        ['name'],
      ],
      [
        'rotation summit',
        secretariat.put('/api/directory/rotation/2199', {
          chairState: 'KZ',
          from: '2199-01-01',
          to: '2199-12-31',
          summit: { date: '2199-06-01', city: 'Astana\u0000', title: 'Summit\r' },
        }),
        ['summit.city', 'summit.title'],
      ],
      ['list search', asPerson('rep-kz').get('/api/initiatives?q=corridor%0D'), ['q']],
    ];
    for (const [what, reply, fields] of cases) expect([what, refusedFields(await reply)]).toEqual([what, fields]);

    const acts = [
      'deadline_extended',
      'withdrawn',
      'returned_to_drafting',
      'milestone_added',
      'milestone_completed',
      'completed',
    ];
    expect((await eventTypes(id)).filter((t) => acts.includes(t))).toEqual([]);
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.stage).toBe('signoff');
    expect((await secretariat.get('/api/directory/states/ZQ')).status).toBe(404);
    // (The rotation has no GET by year: 405. Its list shows what is stored.)
    expect(
      ((await secretariat.get('/api/directory/rotation')).body.items as { year: number }[]).map((r) => r.year),
    ).not.toContain(2199);
    expect(
      ((await asPerson('rep-kz').get('/api/tokens')).body.items as { label: string }[]).some((t) =>
        t.label.startsWith('laptop'),
      ),
    ).toBe(false);
  });
});

describe('draft links are http(s) only', () => {
  it('refuses javascript:, data:, vbscript:, file: and other schemes with a clear message; an https link is stored and rendered as a link', async () => {
    const id = await startedInitiative('ctl-link', { to: 'assigned' });
    const official = asPerson('official-kz');
    for (const link of [
      'javascript:alert(document.cookie)',
      'JAVASCRIPT:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://files.example.org/d.pdf',
      '//attacker.example/x',
    ]) {
      const r = await official.post(`/api/initiatives/${id}/drafts`, { title: 'Draft one', link });
      expect([link, refusedFields(r), r.body.errors[0].message]).toEqual([link, ['link'], HTTP_URL_MESSAGE]);
    }
    expect(await eventTypes(id)).not.toContain('draft_submitted');

    const ok = await official.post(`/api/initiatives/${id}/drafts`, {
      title: 'Draft one',
      link: 'https://docs.example.org/corridor-r1',
    });
    expect(ok.status).toBe(200);
    const page = await official.get(`/initiatives/${id}`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="https://docs.example.org/corridor-r1"');
    expect(page.text).not.toMatch(/href="(javascript|data|vbscript|file):/i);
  });
});

describe('the web forms use the same rules', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

  it("starting an initiative with a CR in the title shows the field error and starts nothing; a textarea's CRLF is kept as LF", async () => {
    const id = uniqueId('ctl-web');
    const fields = {
      id,
      title: 'Corridor\rEND:VEVENT',
      summary: 'one',
      proposingState: 'KZ',
      summit: 'tashkent-2025',
      category: 'transport',
    };
    const bad = await secretariat.post('/secretariat/start', new URLSearchParams(fields).toString(), form);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('must be one line without control characters; found a carriage return (U+000D)');
    expect(await workflowExists(id)).toBe(false);

    const good = await secretariat.post(
      '/secretariat/start',
      new URLSearchParams({ ...fields, title: 'Corridor', summary: 'one\r\ntwo' }).toString(),
      form,
    );
    expect(good.status).toBe(303);
    expect((await secretariat.get(`/api/initiatives/${id}`)).body.summary).toBe('one\ntwo');
  });

  it('a decision form with a bare CR in the reason is refused and records nothing', async () => {
    const id = await startedInitiative('ctl-webdec', { to: 'signoff' });
    const r = await asPerson('rep-tj').post(
      `/initiatives/${id}/decisions`,
      new URLSearchParams({ decision: 'object', revision: '1', reason: 'No.\rX' }).toString(),
      form,
    );
    expect(r.status).toBe(422);
    expect(r.text).toContain(
      'must not contain control characters other than line breaks and tabs; found a carriage return (U+000D)',
    );
    const view = (await secretariat.get(`/api/initiatives/${id}`)).body;
    expect([view.pendingStates.includes('TJ'), view.round.blockedBy]).toEqual([true, undefined]);
  });
});

describe('the summit data file', () => {
  const good = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'tashkent-2025.json'), 'utf8'));
  const hostile = () => {
    const people = [...good.people];
    people[0] = { ...people[0], name: `${people[0].name}\r\nBcc: evil@attacker.example` };
    const initiatives = [{ ...good.initiatives[0], id: uniqueId('ctl-import'), title: 'Imported\rBEGIN:VEVENT' }];
    return { ...good, people, initiatives };
  };
  const people = () => mongo.collection('people');

  it('uploaded through the web interface: a CR anywhere is refused with its place named, and nothing is written', async () => {
    const file = hostile();
    const before = await people().findOne({ _id: file.people[0].id });
    const body = new FormData();
    body.append('file', new Blob([JSON.stringify(file)], { type: 'application/json' }), 'summit.json');
    const res = await fetch(`${testStack().apiUrl}/secretariat/import`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${testStack().tokens.secretariat}`, accept: 'text/html' },
      redirect: 'manual',
    });
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(text).toContain('people.0.name: must be one line without control characters');
    expect(text).toContain('initiatives.0.title: must be one line without control characters');
    expect(await people().findOne({ _id: file.people[0].id })).toEqual(before);
    expect(await workflowExists(file.initiatives[0].id)).toBe(false);
  });

  it('read by `npm run import`: refused before anything connects, naming the place, exit 1', async () => {
    const file = hostile();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-ctl-'));
    const f = path.join(dir, 'summit.json');
    fs.writeFileSync(f, JSON.stringify(file));
    const env = {
      ...process.env,
      MONGODB_URL: testStack().mongoUrl,
      TEMPORAL_ADDRESS: testStack().temporalAddress,
      LOG_LEVEL: 'error',
    };
    const run = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'import.ts'), f],
        { cwd: ROOT, env, timeout: 120_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'people.0.name: must be one line without control characters; found a carriage return (U+000D)',
    );
    expect(await workflowExists(file.initiatives[0].id)).toBe(false);
    expect((await people().findOne({ _id: file.people[0].id }))?.name).toBe(good.people[0].name);
  });
});

describe('a title holding a CR stored before the rule', () => {
  /** Content lines as a lenient calendar client reads them: unfolded, then broken at any CR or LF. */
  const contentLines = (ics: string) =>
    ics
      .replace(/\r\n[ \t]/g, '')
      .split(/\r\n|\r|\n/)
      .filter((l) => l !== '');

  it('renders in the calendar feed as one event with one SUMMARY, no injected line', async () => {
    // The lead official's inbox (and so the feed) holds the draft deadline of this initiative.
    const id = await startedInitiative('ctl-feed', { to: 'assigned', official: 'official-tm', lead: 'TM' });
    const initiatives = mongo.collection('initiatives');
    await settled(
      'the assignment in the read model',
      async () => (await initiatives.findOne({ _id: id as never }))?.lead?.officialId === 'official-tm',
    );
    // Bypasses validation, as a title stored before it would: straight into the read model the feed reads.
    const injected =
      'Corridor\rEND:VEVENT\rBEGIN:VEVENT\rUID:evil@attacker.example\rSUMMARY:Pay here\rURL:https://attacker.example\rEND:VEVENT\rBEGIN:VEVENT';
    await initiatives.updateOne({ _id: id as never }, { $set: { title: injected } });

    const official = asPerson('official-tm');
    const created = await official.post('/api/calendar-feed');
    expect(created.status).toBe(201);
    const feedPath = new URL(created.body.url as string).pathname;
    const ics = await eventually('the feed to show the stored title', async () => {
      const r = await fetch(`${testStack().apiUrl}${feedPath}`);
      const text = await r.text();
      return r.status === 200 && text.includes('Corridor\\nEND:VEVENT') ? text : undefined;
    });
    const lines = contentLines(ics);
    const inbox = ((await official.get('/api/inbox')).body.items as { dueAt?: string }[]).filter((i) => i.dueAt);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(inbox.length);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(inbox.length);
    expect(
      lines.some(
        (l) => l.startsWith('UID:evil') || l.startsWith('SUMMARY:Pay') || l.startsWith('URL:https://attacker'),
      ),
    ).toBe(false);
    // The event of this initiative: exactly the properties of any other event, in order.
    const start = lines.findIndex((l) => l.startsWith(`UID:${id}.draft@`)) - 1;
    expect(lines[start]).toBe('BEGIN:VEVENT');
    const block = lines.slice(start, lines.indexOf('END:VEVENT', start) + 1).map((l) => /^[A-Z-]+/.exec(l)?.[0]);
    expect(block).toEqual([
      'BEGIN',
      'UID',
      'DTSTAMP',
      'DTSTART',
      'DTEND',
      'SUMMARY',
      'DESCRIPTION',
      'URL',
      'TRANSP',
      'BEGIN',
      'ACTION',
      'DESCRIPTION',
      'TRIGGER',
      'END',
      'END',
    ]);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    await official.del('/api/calendar-feed');
  });
});
