export { MailModule, EMAIL_TEMPLATES_DIR } from './mail.module';
export { MailService, type EnqueueOptions } from './mail.service';
export { MAIL_QUEUE, MailJob, MAIL_TEMPLATES, type MailTemplate, type SendMailJob } from './mail.constants';
export { OutboxService, type OutboxHandler } from './outbox.service';
