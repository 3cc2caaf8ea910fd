/** The delivery activity: sends queued emails through SMTP, each at most once. */
import { OutboxStatus } from '../src/persistence/outbox';
import type { ActivityDeps } from './deps';

export function createDeliveryActivities(deps: ActivityDeps) {
  return {
    /** Sends queued emails that are not sent yet. A transient SMTP failure throws (Temporal retries); a rejected address is recorded as failed. */
    async deliverNotifications(ids: string[]): Promise<void> {
      for (const _id of ids) {
        const doc = await deps.outbox.findById(_id).lean();
        if (!doc || doc.status === OutboxStatus.Sent || doc.status === OutboxStatus.Failed) continue;
        await deps.outbox.updateOne({ _id }, { $set: { status: OutboxStatus.Sending }, $inc: { attempts: 1 } });
        try {
          await deps.mailer.sendMail({
            from: deps.config.MAIL_FROM,
            replyTo: deps.config.MAIL_REPLY_TO,
            to: doc.to,
            subject: doc.subject,
            text: doc.text,
            html: doc.html,
            messageId: doc.messageId,
            headers: { 'Auto-Submitted': 'auto-generated', 'X-Summit-Notification': doc.kind },
          });
        } catch (err) {
          const e = err as { responseCode?: number; message?: string };
          const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
          await deps.outbox.updateOne(
            { _id },
            { $set: { status: permanent ? OutboxStatus.Failed : OutboxStatus.Pending, lastError: String(e.message ?? err) } },
          );
          if (permanent) continue;
          throw err;
        }
        await deps.outbox.updateOne({ _id }, { $set: { status: OutboxStatus.Sent, sentAt: new Date() } });
      }
    },
  };
}
