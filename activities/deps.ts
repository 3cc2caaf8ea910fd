/** What the activities need, injected by the worker (and by tests). */
import type { Config } from '../src/config';
import type { Mailer } from '../src/email/mailer';
import type { Directory } from '../src/persistence/directory';
import type { CommitmentRepository } from '../src/persistence/commitments';
import type { InitiativeRepository } from '../src/persistence/initiatives';
import type { OutboxRepository } from '../src/persistence/outbox';
import type { OutboxDoc } from '../src/persistence/outbox';

export interface ActivityDeps {
  config: Pick<Config, 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'PUBLIC_URL' | 'SECRETARIAT_TIME_ZONE'>;
  /** The read model with its audit trail, the outbox and the commitment register (src/persistence). */
  repositories: { initiatives: InitiativeRepository; outbox: OutboxRepository; commitments: CommitmentRepository };
  directory: Directory;
  mailer: Mailer;
  /** The deployment's APP_SECRET: signs the decision and unsubscribe links in emails, and verifies the API's seal on a start. */
  secret: string;
  /** Digest scheduling and test hooks of email delivery (activities/deliver.ts). */
  email?: EmailDeliveryOptions;
  /** Today's date for rotation look-ups; injectable so tests can sit in another chairmanship year. */
  today?: () => string;
}

export interface EmailDeliveryOptions {
  /** Starts or wakes the person's digest workflow; default: signal-with-start through the activity's Temporal client. */
  scheduleDigest?: (personId: string, timeZone: string) => Promise<void>;
  /** Fault injection for tests: runs after the SMTP server accepted a message and before the outbox records it. */
  afterAccepted?: (doc: OutboxDoc) => void | Promise<void>;
}
