/** The queue that carries outgoing email. */
export const MAIL_QUEUE = 'mail';

/** Every job name of the mail queue; one handler each in MailProcessor. */
export enum MailJob {
  Send = 'send',
}

/** Templates under views/emails/ (without extension). A typo fails at compile time, not at send time. */
export const MAIL_TEMPLATES = [
  'test-message',
  'invitation',
  'password-reset',
  'submission-digest',
  'record-reviewed',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export interface SendMailJob {
  template: MailTemplate;
  to: string;
  subject: string;
  context: Record<string, unknown>;
}

/** Retries: 8 attempts with exponential backoff from 5 s (≈ 21 minutes in all). */
export const MAIL_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
