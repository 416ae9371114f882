import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { DomainError, ValidationFailedError } from '../../common/errors';
import { AppConfig } from '../../config';
import type { Prisma, RecordStatus } from '../../generated/prisma/client';
import { AuditService, type Db } from '../audit/audit.service';
import { PrismaService } from '../database';
import { OutboxService } from '../mail';
import { StorageService } from '../storage';
import { DashboardService } from './dashboard.service';
import type { CreateRecordDto, RecordListQueryDto, ReviewDto, UpdateRecordDto } from './dto/record.dto';
import { SubmissionDigest } from './submission-digest';
import {
  RECORD_INCLUDE,
  type RecordWithAttachments,
  type RecordWithAuthor,
  RecordsRepository,
  type Viewer,
} from './records.repository';
import { isoDay, utcDay } from '../../common/dates';

export const EDITABLE: RecordStatus[] = ['DRAFT', 'REJECTED'];

const conflict = (code: string, message: string) => new DomainError(code, message, HttpStatus.CONFLICT);

export class StaleRecordError extends DomainError {
  constructor() {
    super(
      'stale_record',
      'Someone changed this record after you opened it. Reload it to see the latest version, then make your change again.',
      HttpStatus.CONFLICT,
    );
  }
}

function summary(r: { title: string; status: string; hours: unknown; workDate: Date; category: string }) {
  return {
    title: r.title,
    status: r.status,
    hours: Number(r.hours),
    workDate: isoDay(r.workDate),
    category: r.category,
  };
}

function assertQuarterHours(hours: number | undefined): void {
  if (hours !== undefined && !Number.isInteger(hours * 4)) {
    throw new ValidationFailedError([
      { field: 'hours', message: 'Use quarter hours: 0.25, 0.5, 0.75, 1, …' },
    ]);
  }
}

function assertDate(day: string | undefined): void {
  if (day === undefined) return;
  const d = utcDay(day);
  if (Number.isNaN(d.getTime()) || isoDay(d) !== day) {
    throw new ValidationFailedError([{ field: 'workDate', message: 'This date does not exist.' }]);
  }
  if (d.getTime() > Date.now() + 86_400_000) {
    throw new ValidationFailedError([
      { field: 'workDate', message: 'The work date cannot be in the future.' },
    ]);
  }
}

/** Work records and their review: one service behind the pages and the JSON API. */
@Injectable()
export class RecordsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly records: RecordsRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly dashboard: DashboardService,
    private readonly storage: StorageService,
    private readonly digest: SubmissionDigest,
    private readonly config: AppConfig,
  ) {}

  /** The record, if the viewer may see it; otherwise 404 (ids are not probed). */
  async get(id: string, viewer: Viewer): Promise<RecordWithAttachments> {
    const record = await this.records.findVisible(id, viewer);
    if (!record) throw new NotFoundException('No such record.');
    return record;
  }

  list(query: RecordListQueryDto, viewer: Viewer) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    return this.records.page(query, viewer, page, pageSize).then((r) => ({ ...r, page, pageSize }));
  }

  categories(): Promise<string[]> {
    return this.records.categories();
  }

  async create(actor: AuthUser, input: CreateRecordDto, ip: string): Promise<RecordWithAuthor> {
    assertQuarterHours(input.hours);
    assertDate(input.workDate);
    const record = await this.prisma.$transaction(async (tx) => {
      const created = await tx.record.create({
        data: {
          authorId: actor.id,
          title: input.title,
          description: input.description ?? '',
          workDate: utcDay(input.workDate),
          hours: input.hours,
          category: input.category,
        },
        include: RECORD_INCLUDE,
      });
      await this.audit.record(tx, {
        actor,
        action: 'record.created',
        subjectType: 'record',
        subjectId: created.id,
        summary: { after: summary(created) },
        ip,
      });
      return created;
    });
    await this.dashboard.invalidate();
    return record;
  }

  /** Changes a draft or rejected record of one's own, refusing a change made on a stale version. */
  async update(actor: AuthUser, id: string, input: UpdateRecordDto, ip: string): Promise<RecordWithAuthor> {
    const current = await this.get(id, actor);
    if (current.authorId !== actor.id) throw new NotFoundException('No such record.');
    if (!EDITABLE.includes(current.status))
      throw conflict('not_editable', 'Only a draft or a rejected record can be edited.');
    assertQuarterHours(input.hours);
    assertDate(input.workDate);
    const data: Prisma.RecordUncheckedUpdateManyInput = {
      title: input.title,
      description: input.description,
      workDate: input.workDate ? utcDay(input.workDate) : undefined,
      hours: input.hours,
      category: input.category,
      version: { increment: 1 },
    };
    const updated = await this.prisma.$transaction(async (tx) => {
      const after = await this.changeVersioned(tx, id, input.version, { status: { in: EDITABLE } }, data);
      await this.audit.record(tx, {
        actor,
        action: 'record.edited',
        subjectType: 'record',
        subjectId: id,
        summary: { before: summary(current), after: summary(after) },
        ip,
      });
      return after;
    });
    await this.dashboard.invalidate();
    return updated;
  }

  async submit(
    actor: AuthUser,
    id: string,
    version: number | undefined,
    ip: string,
  ): Promise<RecordWithAuthor> {
    const current = await this.get(id, actor);
    if (current.authorId !== actor.id) throw new NotFoundException('No such record.');
    if (!EDITABLE.includes(current.status))
      throw conflict('not_submittable', 'Only a draft or a rejected record can be submitted.');
    const record = await this.prisma.$transaction(async (tx) => {
      const after = await this.changeVersioned(
        tx,
        id,
        version ?? current.version,
        { status: { in: EDITABLE } },
        {
          status: 'SUBMITTED',
          submittedAt: new Date(),
          reviewerId: null,
          reviewComment: null,
          reviewedAt: null,
          version: { increment: 1 },
        },
      );
      await this.audit.record(tx, {
        actor,
        action: 'record.submitted',
        subjectType: 'record',
        subjectId: id,
        summary: { before: { status: current.status }, after: { status: 'SUBMITTED' } },
        ip,
      });
      await this.digest.noteSubmission(tx, after.submittedAt ?? new Date());
      return after;
    });
    this.outbox.kick();
    await this.dashboard.invalidate();
    return record;
  }

  approve(actor: AuthUser, id: string, input: ReviewDto, ip: string): Promise<RecordWithAuthor> {
    return this.review(actor, id, 'APPROVED', input, ip);
  }

  reject(actor: AuthUser, id: string, input: ReviewDto, ip: string): Promise<RecordWithAuthor> {
    if (!input.comment?.trim()) {
      throw new ValidationFailedError([
        { field: 'comment', message: 'Say why the record is rejected, so the author can fix it.' },
      ]);
    }
    return this.review(actor, id, 'REJECTED', input, ip);
  }

  /** Deletes one's own draft, its attachments with it. Nothing else is ever deleted. */
  async deleteDraft(actor: AuthUser, id: string, ip: string): Promise<void> {
    const current = await this.get(id, actor);
    if (current.authorId !== actor.id) throw new NotFoundException('No such record.');
    if (current.status !== 'DRAFT') throw conflict('not_draft', 'Only a draft can be deleted.');
    const keys = await this.prisma.$transaction(async (tx) => {
      const attachments = await tx.attachment.findMany({
        where: { recordId: id },
        select: { storageKey: true },
      });
      const { count } = await tx.record.deleteMany({ where: { id, status: 'DRAFT', authorId: actor.id } });
      if (count !== 1) throw new StaleRecordError();
      await this.audit.record(tx, {
        actor,
        action: 'record.deleted',
        subjectType: 'record',
        subjectId: id,
        summary: { before: summary(current) },
        ip,
      });
      return attachments.map((a) => a.storageKey);
    });
    await this.dashboard.invalidate();
    // Objects go after the rows; one that cannot be removed now is left to the orphan sweeper.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
  }

  private async review(
    actor: AuthUser,
    id: string,
    outcome: 'APPROVED' | 'REJECTED',
    input: ReviewDto,
    ip: string,
  ) {
    if (actor.role !== 'MANAGEMENT') throw new NotFoundException('No such record.');
    const current = await this.get(id, actor);
    if (current.status !== 'SUBMITTED')
      throw conflict('not_submitted', 'Only a submitted record can be reviewed.');
    if (current.authorId === actor.id)
      throw conflict('own_record', 'You cannot review your own record; ask another manager.');
    const record = await this.prisma.$transaction(async (tx) => {
      const after = await this.changeVersioned(
        tx,
        id,
        input.version ?? current.version,
        { status: 'SUBMITTED' },
        {
          status: outcome,
          reviewerId: actor.id,
          reviewComment: input.comment?.trim() || null,
          reviewedAt: new Date(),
          version: { increment: 1 },
        },
      );
      await this.audit.record(tx, {
        actor,
        action: outcome === 'APPROVED' ? 'record.approved' : 'record.rejected',
        subjectType: 'record',
        subjectId: id,
        summary: {
          before: { status: 'SUBMITTED' },
          after: { status: outcome, comment: after.reviewComment },
        },
        ip,
      });
      await this.outbox.add(
        tx,
        'record-reviewed',
        after.author.email,
        `Your record was ${outcome === 'APPROVED' ? 'approved' : 'rejected'}: ${after.title}`,
        {
          name: after.author.name,
          title: after.title,
          approved: outcome === 'APPROVED',
          comment: after.reviewComment ?? '',
          reviewer: actor.name,
          link: `${this.config.auth.baseUrl}/records/${after.id}`,
        },
      );
      return after;
    });
    this.outbox.kick();
    await this.dashboard.invalidate();
    return record;
  }

  /** Applies `data` only if the record is still at `version` (and matches `guard`); else refuses. */
  private async changeVersioned(
    tx: Db,
    id: string,
    version: number,
    guard: Prisma.RecordWhereInput,
    data: Prisma.RecordUncheckedUpdateManyInput,
  ): Promise<RecordWithAuthor> {
    const { count } = await tx.record.updateMany({ where: { id, version, ...guard }, data });
    if (count !== 1) throw new StaleRecordError();
    return tx.record.findUniqueOrThrow({ where: { id }, include: RECORD_INCLUDE });
  }
}
