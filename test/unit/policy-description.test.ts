import { describePolicy, policyOfDescription } from '../../src/domain/signoff';
import type { SignoffPolicy } from '../../src/domain/types';

describe('the policy as the audit trail records it', () => {
  const policies: SignoffPolicy[] = [
    { rule: { rule: 'consensus' }, silenceProcedure: false },
    { rule: { rule: 'consensus' }, silenceProcedure: true },
    { rule: { rule: 'quorum', quorum: 4 }, silenceProcedure: false },
    { rule: { rule: 'quorum', quorum: 5 }, silenceProcedure: true },
  ];

  it.each(policies.map((p) => [describePolicy(p), p]))('reads "%s" back as the policy it describes', (text, p) => {
    expect(policyOfDescription(text as string)).toEqual(p);
  });

  it('names nothing for text it did not write, so the page shows that text as recorded', () => {
    expect(policyOfDescription('consensus of some members')).toBeUndefined();
    expect(policyOfDescription('quorum of four member states')).toBeUndefined();
    expect(policyOfDescription('')).toBeUndefined();
  });
});
