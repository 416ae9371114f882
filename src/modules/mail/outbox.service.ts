import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { AppConfig } from '../../config';
import { PrismaService } from '../database';
import { MAIL_TEMPLATES, type MailTemplate } from './mail.constants';
import { MailService } from './mail.service';

type Db = PrismaService | Prisma.TransactionClient;

interface MailPayload {
  template: MailTemplate;
  to: string;
  subject: string;
  context: Record<string, unknown>;
}

/** Relays a non-mail outbox row (e.g. to a feature's own queue). Registered by the feature. */
export type OutboxHandler = (payload: unknown, rowId: string) => Promise<void>;

const POLL_MS = 1_000;
const BATCH = 50;

/**
 * The transactional outbox: a feature writes its email in the same transaction as the change
 * that causes it (`add`), so a rolled-back change sends nothing and a committed one is never
 * lost. The relay (where RUN_WORKERS is on) moves pending rows to the BullMQ `mail` queue, using
 * the row id as the job id so a row relayed twice still sends one mail.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private readonly handlers = new Map<string, OutboxHandler>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  async add(
    db: Db,
    template: MailTemplate,
    to: string,
    subject: string,
    context: Record<string, unknown>,
  ): Promise<void> {
    const payload: MailPayload = { template, to, subject, context };
    await db.outboxMessage.create({
      data: { kind: 'mail', payload: payload as unknown as Prisma.InputJsonValue },
    });
  }

  /** Any other kind of message, relayed by the handler a feature registered for `kind`. */
  async addMessage(db: Db, kind: string, payload: Prisma.InputJsonValue): Promise<void> {
    if (kind === 'mail') throw new Error('use add() for mail');
    await db.outboxMessage.create({ data: { kind, payload } });
  }

  /** Features register how their kinds are relayed (features depend on mail, not the reverse). */
  registerHandler(kind: string, handler: OutboxHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Relays now instead of at the next poll (call after the transaction that added rows commits). */
  kick(): void {
    if (this.config.runWorkers && !this.stopped) void this.relayOnce();
  }

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.relayOnce().finally(() => {
          if (!this.stopped) tick();
        });
      }, POLL_MS);
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Moves up to one batch of pending rows to the queue. Safe with several relays (SKIP LOCKED). */
  relayOnce(): Promise<void> {
    this.running ??= this.relayBatch()
      .catch((err: Error) => this.logger.warn(`outbox relay: ${err.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async relayBatch(): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; kind: string; payload: MailPayload }[]>`
        SELECT id, kind, payload FROM outbox_messages
        WHERE status = 'PENDING' AND "availableAt" <= now()
        ORDER BY "createdAt"
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED`;
      for (const row of rows) {
        if (row.kind !== 'mail') {
          const handler = this.handlers.get(row.kind);
          if (!handler) continue; // relayed by a process that has the handler
          await handler(row.payload, row.id);
          await tx.outboxMessage.update({
            where: { id: row.id },
            data: { status: 'RELAYED', relayedAt: new Date(), attempts: { increment: 1 } },
          });
          continue;
        }
        const p = row.payload;
        if (!MAIL_TEMPLATES.includes(p.template)) {
          await tx.outboxMessage.update({
            where: { id: row.id },
            data: {
              status: 'FAILED',
              lastError: `unknown template ${String(p.template)}`,
              attempts: { increment: 1 },
            },
          });
          continue;
        }
        await this.mail.enqueue(p.template, p.to, p.context, {
          subject: p.subject,
          jobId: `outbox-${row.id}`,
        });
        await tx.outboxMessage.update({
          where: { id: row.id },
          data: { status: 'RELAYED', relayedAt: new Date(), attempts: { increment: 1 } },
        });
      }
    });
  }
}
