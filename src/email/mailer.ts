/** The SMTP transport (nodemailer), configured once. */
import nodemailer from 'nodemailer';
import type { Config } from '../config';

export function createMailer(config: Config) {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
    ignoreTLS: !config.SMTP_SECURE && !config.SMTP_USER,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}
export type Mailer = ReturnType<typeof createMailer>;
