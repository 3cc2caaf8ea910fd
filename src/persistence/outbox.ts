/** The email outbox: one document per notification key, so a retry or a replay never queues the same email twice. */
import { Connection, Schema } from 'mongoose';

export const OutboxStatus = { Pending: 'pending', Sending: 'sending', Sent: 'sent', Failed: 'failed' } as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

export interface OutboxDoc {
  /** The notification key: initiative, step, recipient, kind, due date, revision, sequence. */
  _id: string;
  initiativeId: string;
  kind: string;
  personId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
}

const schema = new Schema<OutboxDoc>(
  {
    _id: String,
    initiativeId: String,
    kind: String,
    personId: String,
    to: String,
    subject: String,
    text: String,
    html: String,
    messageId: String,
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    lastError: String,
    createdAt: Date,
    sentAt: Date,
  },
  { versionKey: false },
);
// Pending mail for /metrics and the Secretariat's failure list.
schema.index({ status: 1, createdAt: 1 });
// An initiative's mail.
schema.index({ initiativeId: 1 });

export function outboxModel(conn: Connection) {
  return conn.model<OutboxDoc>('Outbox', schema, 'outbox');
}
export type OutboxModel = ReturnType<typeof outboxModel>;
