/**
 * Evidence that outlives the system, on the real stack: an initiative adopted by six states (one through a
 * deputy) gives an evidence pack that `npm run verify-evidence` accepts offline under the deployment's
 * published key; the same command names the record that broke when the stored trail is changed, cut, reordered
 * or has a record removed, refuses a pack altered after issue, and refuses a genuine pack under another
 * deployment's key.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { auditSignerOf } from '../../src/evidence/signing';
import type { EvidencePack } from '../../src/evidence/pack';
import { addPerson, anonymous, asPerson, settled, signIn, startedInitiative } from '../support/api-client';
import { pdfAttachments, pdfText } from '../support/pdf-text';
import { testStack } from '../support/stack';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));

/** Runs the verification command as a reader would: exit code and what it printed. */
async function verifyCommand(pack: unknown, key: string): Promise<{ code: number; out: string }> {
  const file = path.join(dir, `pack-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(pack));
  try {
    const { stdout } = await run(process.execPath, [
      path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      path.join(root, 'src', 'cli', 'verify-evidence.ts'),
      file,
      '--key',
      key,
    ]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the evidence pack of an adopted initiative', () => {
  let mongo: mongoose.Connection;
  let id: string;
  let key: string;
  const events = () => mongo.collection('events');
  const packOf = async () =>
    (await asPerson('secretariat').get(`/api/initiatives/${id}/evidence`)).body as EvidencePack;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(testStack().mongoUrl).asPromise();
    id = await startedInitiative('evidence', { to: 'signoff', titledRu: true });
    const view = (await asPerson('secretariat').get(`/api/initiatives/${id}`)).body;
    for (const state of view.round.members as string[]) {
      const who = state === 'KZ' ? 'deputy-kz' : `rep-${state.toLowerCase()}`;
      const res = await asPerson(who).post(`/api/initiatives/${id}/decisions`, {
        state,
        decision: 'approve',
        revision: view.revision,
      });
      expect(res.status).toBe(200);
    }
    key = (await anonymous().get('/api/audit-key')).body.publicKey;
  });
  afterAll(async () => {
    await mongo.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds who decided, on whose behalf and who was told, and verifies offline under the published key', async () => {
    // The pack is complete once the trail has its adoption and the SMTP server has accepted the sign-off requests.
    const pack = await settled('the pack of the adopted initiative, its requests sent', async () => {
      const p = await packOf();
      const requests = p.notifications.filter((n) => n.kind === 'signoff_requested');
      return p.trail.some((e) => e.type === 'adopted') && requests.length >= 6 && requests.every((n) => n.sentAt)
        ? p
        : undefined;
    });
    expect(pack.issuer.publicKey).toBe(key);
    expect(pack.decisions).toHaveLength(6);
    expect(pack.decisions.find((d) => d.state === 'KZ')).toMatchObject({
      decision: 'approve',
      by: 'deputy-kz',
      onBehalfOf: 'rep-kz',
      via: 'api-token',
    });
    const told = new Set(pack.notifications.filter((n) => n.kind === 'signoff_requested').map((n) => n.state));
    expect([...told].sort()).toEqual([...pack.decisions.map((d) => d.state)].sort());
    expect(pack.checkpoint).toMatchObject({ initiativeId: id });

    const verdict = await verifyCommand(pack, key);
    expect(verdict.out).toContain(`VERIFIED evidence pack of ${id}`);
    expect(verdict.out).toContain(`the trail's ${pack.trail.length} records are intact and in order`);
    expect(verdict.code).toBe(0);
  });

  it('reads as a PDF for people, in Russian, carrying the sealed JSON that verifies', async () => {
    await settled('the adoption in the trail', async () => (await packOf()).trail.some((e) => e.type === 'adopted'));
    const reply = await asPerson('rep-uz').get(`/api/initiatives/${id}/evidence?format=pdf&lang=ru`);
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('application/pdf');
    const text = await pdfText(reply.bytes);
    // Long ids wrap after a hyphen: read the text as one flow.
    expect(text.replace(/\s+/g, ' ').replace(/- /g, '-')).toContain(`Пакет доказательств: Тестовая инициатива ${id}`);
    expect(text).toContain('Решения государств-членов');
    // The deputy's decision names both, as the trail does.
    // Table cells wrap anywhere: compare without the spaces and line breaks.
    expect(text.replace(/\s+/g, '')).toContain('заrep-kz);API-токен');
    const attached = (await pdfAttachments(reply.bytes))[`${id}-evidence.json`];
    expect(attached).toBeDefined();
    const pack = JSON.parse(attached.toString('utf8')) as EvidencePack;
    expect(pack.initiative).toMatchObject({ id, title: `Test initiative ${id}`, titleRu: `Тестовая инициатива ${id}` });
    const verdict = await verifyCommand(pack, key);
    expect([verdict.code, verdict.out]).toEqual([0, expect.stringContaining(`VERIFIED evidence pack of ${id}`)]);
  });

  it("does not verify under another deployment's key, nor once anything in it was changed", async () => {
    const pack = await packOf();
    const other = auditSignerOf('another deployment').publicKey;
    const foreign = await verifyCommand(pack, other);
    expect(foreign.code).toBe(1);
    expect(foreign.out).toContain('it comes from another deployment');

    const edited = structuredClone(pack);
    edited.decisions[0].decision = 'object';
    const after = await verifyCommand(edited, key);
    expect(after.code).toBe(1);
    expect(after.out).toContain('FAIL the seal does not verify: the pack was changed after it was issued');
  });

  /** Tampers with the stored trail, checks what the command says of a pack made from it, and puts the trail back. */
  async function tampered(tamper: () => Promise<unknown>): Promise<string> {
    const before = await events().find({ initiativeId: id }).toArray();
    try {
      await tamper();
      const verdict = await verifyCommand(await packOf(), key);
      expect(verdict.code).toBe(1);
      return verdict.out;
    } finally {
      await events().deleteMany({ initiativeId: id });
      await events().insertMany(before);
    }
  }
  const docOf = (seq: number) => ({ _id: `${id}:${String(seq).padStart(8, '0')}` as never });

  it("names the record that was changed in the database, in the command and on the initiative's page", async () => {
    const reader = await signIn((await addPerson({ roles: ['official'], state: 'KG' }, 'evidence-reader')).email);
    const timeline = async () => (await reader.get(`/initiatives/${id}`, { accept: 'text/html' })).text;
    expect(await timeline()).toContain('The trail is intact: its ');
    const out = await tampered(async () => {
      await events().updateOne(docOf(3), { $set: { 'data.title': 'A different draft' } });
      expect(await timeline()).toContain(
        'The stored trail does not match what was recorded and signed: it breaks at record 3 (seq 3).',
      );
    });
    expect(out).toContain(
      'FAIL the trail breaks at record 3: seq 3 (draft_submitted) was changed after it was recorded',
    );
    expect(await timeline()).toContain('The trail is intact: its ');
  });

  it('names where a record was removed', async () => {
    const out = await tampered(() => events().deleteOne(docOf(4)));
    expect(out).toContain('FAIL the trail breaks at record 4: record 4 claims seq 5');
  });

  it('names where records were moved', async () => {
    // Two decisions trade places, each renumbered to sit where the other was.
    const out = await tampered(async () => {
      await events().updateOne(docOf(5), { $set: { seq: 6 } });
      await events().updateOne(docOf(6), { $set: { seq: 5 } });
    });
    expect(out).toContain('FAIL the trail breaks at record 5: seq 5 does not follow the record before it');
  });

  it('says the trail was cut short when its last records are gone', async () => {
    const pack = await packOf();
    const last = pack.trail.length;
    const out = await tampered(() => events().deleteOne(docOf(last)));
    expect(out).toContain(
      `FAIL the trail breaks at record ${last - 1}: the trail ends at seq ${last - 1}, but the signed checkpoint vouches for seq ${last}`,
    );
  });
});
