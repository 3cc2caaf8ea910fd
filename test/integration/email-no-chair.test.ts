/**
 * An escalation in a year the rotation calendar has no Chair for: the Secretariat is told that no Chair was
 * told, instead of the message silently going to fewer people. With a Chair in office, the Chair gets it and
 * the Secretariat's copy says nothing of the kind.
 */
import type { ParsedMail } from 'mailparser';
import type { Notification } from '../../src/domain/types';
import { SAMPLE_NOTIFICATIONS, sampleView } from '../../src/email/samples';
import { ownSinkAndHarness, record, uniqueInitiative } from '../support/email-harness';

const escalation = (to: Notification['to']): Notification => ({ ...SAMPLE_NOTIFICATIONS.escalation, to });

/** Records and sends one escalation to the Secretariat and the Chair; then reads the sink's email to an address. */
async function escalate(
  env: ReturnType<typeof ownSinkAndHarness>,
): Promise<(to: string) => Promise<ParsedMail | undefined>> {
  const view = sampleView({ id: uniqueInitiative() });
  const ids = await record(env.h, [escalation({ role: 'secretariat' }), escalation({ role: 'chair' })], view);
  await env.h.direct.deliverNotifications(ids);
  await env.sink.drained();
  const listed = await env.sink.list();
  return async (to) => {
    const mine = listed.filter((e) => e.to.some((t) => t.address === to));
    expect(mine.length).toBeLessThanOrEqual(1);
    return mine.length ? env.sink.raw(mine[0].id) : undefined;
  };
}

describe('an escalation when no Chair is entered for the year', () => {
  const env = ownSinkAndHarness({ today: () => '2031-03-01' });

  it('tells the Secretariat that no Chair was told', async () => {
    const mailTo = await escalate(env);
    expect((await mailTo('secretariat@example.org'))?.text).toContain(
      'No Chair is entered for 2031 in the rotation calendar, so no Chair was told. Enter the chairing state in the directory.',
    );
  });
});

describe('an escalation with a Chair in office', () => {
  const env = ownSinkAndHarness({ today: () => '2026-06-01' });

  it("reaches the Chair's representative, and the Secretariat's copy does not speak of a missing Chair", async () => {
    const mailTo = await escalate(env);
    expect((await mailTo('rep-tm@example.org'))?.text).toContain('Как Председатель (');
    const toSecretariat = await mailTo('secretariat@example.org');
    expect(toSecretariat?.text).toContain('You can remind them');
    expect(toSecretariat?.text).not.toContain('No Chair is entered');
  });
});
