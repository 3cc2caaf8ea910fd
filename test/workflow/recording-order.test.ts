/**
 * Acts that arrive while an earlier change is still being recorded (a slow database): each change is recorded
 * with the view as it stood right after it, so its calendar follow-ups, the read model's version and the
 * emails' ids describe that change, not the state the workflow has reached since.
 */
import * as msg from '../../workflows/messages';
import { approve, assignKG, draft, settled, workflowSuite } from './scenario';

const { run } = workflowSuite();

describe('recording changes that queue up', () => {
  it('records each change with its own view, in order, when a decision arrives during the draft’s recording', async () => {
    await run(
      () => ({}),
      async ({ handle, rec, start }) => {
        await handle.executeUpdate(msg.actUpdates.assign, { args: [assignKG(10, start)] });
        await settled(() => rec.records.length >= 2, 'the start and the assignment recorded');
        const { held, release } = rec.hold();
        await handle.executeUpdate(msg.actUpdates.submitDraft, { args: [draft('Charter')] });
        await held;
        // Two decisions while the draft's recording waits.
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('KZ')] });
        await handle.executeUpdate(msg.actUpdates.decide, { args: [approve('UZ')] });
        release();
        await settled(() => rec.records.length >= 5, 'the draft and both decisions recorded');

        const [submitted, first, second] = rec.records.slice(2);
        // Each view is the one right after its change: its version is the seq of the change's last event.
        for (const r of rec.records) expect(r.view.version).toBe(r.events.at(-1)!.seq);
        expect(Object.keys(submitted.view.round!.decisions)).toEqual([]);
        expect(Object.keys(first.view.round!.decisions)).toEqual(['KZ']);
        expect(Object.keys(second.view.round!.decisions).sort()).toEqual(['KZ', 'UZ']);
        expect(new Set(rec.records.map((r) => r.view.version)).size).toBe(rec.records.length);
      },
    );
  });
});
