/**
 * Replays recorded histories of representative runs against today's workflow code: a change that would
 * break running workflows (a new command without patched(), a reordered activity) fails here.
 */
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundle } from '../workflow/harness';

const dir = path.resolve(__dirname, '..', 'histories');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

describe('replaying recorded histories', () => {
  let workflowBundle: Awaited<ReturnType<typeof bundle>>;
  beforeAll(async () => {
    workflowBundle = await bundle();
  }, 60_000);

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle, replayName: file }, history);
  });
});
