/** The audit trail's vocabulary: every event the workflow recorded in real runs fits its type's schema; others do not. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditEvent } from '../../src/app/audit-events';

const HISTORIES = ['full-lifecycle', 'changes-objection', 'reminders-escalation-withdrawal'];

/** The events each recordChanges activity of a recorded history was given. */
function recordedEvents(name: string): unknown[] {
  const history = JSON.parse(fs.readFileSync(path.join(__dirname, '../histories', `${name}.json`), 'utf8')) as {
    events: {
      activityTaskScheduledEventAttributes?: {
        activityType: { name: string };
        input: { payloads: { data: string }[] };
      };
    }[];
  };
  return history.events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType.name !== 'recordChanges') return [];
    return a.input.payloads.flatMap(
      (p) => (JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { events: unknown[] }).events,
    );
  });
}

describe('audit events', () => {
  it.each(HISTORIES)('every event recorded in the %s history fits the schema of its type', (name) => {
    const events = recordedEvents(name);
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      const parsed = auditEvent.safeParse(e);
      if (!parsed.success) throw new Error(`${JSON.stringify(e)}: ${parsed.error.message}`);
    }
  });

  it('refuses an event whose data does not fit its type, and a type it does not know', () => {
    const decided = recordedEvents('full-lifecycle').find((e) => (e as { type: string }).type === 'decided') as {
      data: Record<string, unknown>;
    };
    expect(auditEvent.safeParse(decided).success).toBe(true);
    expect(auditEvent.safeParse({ ...decided, data: { ...decided.data, decision: 'maybe' } }).success).toBe(false);
    const { state, ...withoutState } = decided.data;
    expect(state).toBeDefined();
    expect(auditEvent.safeParse({ ...decided, data: withoutState }).success).toBe(false);
    expect(auditEvent.safeParse({ ...decided, type: 'decreed' }).success).toBe(false);
  });
});
