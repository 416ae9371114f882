import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors';
import { AppConfig } from '../../config';
import type { Attachment } from '../../generated/prisma/client';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database';
import { StorageService } from '../storage';
import { ALLOWED_TYPES, SNIFF_BYTES, sniffContentType } from './attachment-types';
import { DashboardService } from './dashboard.service';
import { EDITABLE, RecordsService } from './records.service';
import { isUuid } from '../../common/ids';

export interface IncomingFile {
  fileName: string;
  stream: Readable;
  /** True once the multipart limit cut the file short. */
  truncated: () => boolean;
}

export class FileTooLargeError extends DomainError {
  constructor(maxMb: number) {
    super('file_too_large', `The file is larger than ${maxMb} MB.`, HttpStatus.PAYLOAD_TOO_LARGE, [
      { field: 'file', message: `The file is larger than ${maxMb} MB.` },
    ]);
  }
}

export class UnsupportedFileError extends DomainError {
  constructor() {
    const message =
      'This kind of file cannot be attached. Use an image, a PDF, plain text or CSV, or an office document.';
    super('unsupported_file_type', message, HttpStatus.UNSUPPORTED_MEDIA_TYPE, [{ field: 'file', message }]);
  }
}

function notEditable(): DomainError {
  return new DomainError(
    'not_editable',
    'Files can be added or removed only while the record is a draft or rejected.',
    HttpStatus.CONFLICT,
  );
}

/** The record's attachment with this id (the record was loaded with the viewer's access check). */
function attachmentOf(record: { attachments: Attachment[] }, attachmentId: string): Attachment {
  const row = isUuid(attachmentId) ? record.attachments.find((a) => a.id === attachmentId) : undefined;
  if (!row) throw new NotFoundException('No such attachment.');
  return row;
}

/** RFC 6266 / 5987 Content-Disposition for a download with the original name. */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'file';
}

/**
 * Files of a record. The upload streams from the request to S3 (never whole in memory or on
 * disk); its type is sniffed from the first bytes; the row is written only after the object is
 * stored, and a failure on either side leaves neither behind.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly records: RecordsService,
    private readonly storage: StorageService,
    private readonly audit: AuditService,
    private readonly dashboard: DashboardService,
    private readonly config: AppConfig,
  ) {}

  /** Checks that the actor may add a file to the record now (before reading the body). */
  async assertCanAttach(actor: AuthUser, recordId: string): Promise<void> {
    const record = await this.records.get(recordId, actor);
    if (record.authorId !== actor.id) throw new NotFoundException('No such record.');
    if (!EDITABLE.includes(record.status)) throw notEditable();
    if (record.attachments.length >= this.config.tuning.maxAttachmentsPerRecord) throw this.tooManyFiles();
  }

  private tooManyFiles(): DomainError {
    const max = this.config.tuning.maxAttachmentsPerRecord;
    return new DomainError('too_many_files', `A record holds at most ${max} files.`, HttpStatus.CONFLICT);
  }

  async upload(actor: AuthUser, recordId: string, file: IncomingFile, ip: string): Promise<Attachment> {
    try {
      await this.assertCanAttach(actor, recordId);
    } catch (err) {
      file.stream.resume(); // drain the body so the client receives the refusal
      throw err;
    }
    const fileName = cleanName(file.fileName);
    const source = file.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

    // Read just enough to decide the type; nothing is stored before that.
    const headChunks: Buffer[] = [];
    let headSize = 0;
    let ended = false;
    try {
      while (headSize < SNIFF_BYTES) {
        const next = await source.next();
        if (next.done) {
          ended = true;
          break;
        }
        headChunks.push(next.value);
        headSize += next.value.length;
      }
    } catch (err) {
      throw this.mapSourceError(err, file);
    }
    const head = Buffer.concat(headChunks);
    const contentType = await sniffContentType(head.subarray(0, SNIFF_BYTES), fileName);
    if (!contentType) {
      file.stream.resume(); // drain the rest so the client gets its answer
      throw new UnsupportedFileError();
    }

    const hash = createHash('sha256');
    let size = 0;
    async function* body() {
      hash.update(head);
      size += head.length;
      yield head;
      if (ended) return;
      for (let next = await source.next(); !next.done; next = await source.next()) {
        hash.update(next.value);
        size += next.value.length;
        yield next.value;
      }
    }
    const key = `records/${recordId}/${randomUUID()}`;
    try {
      await this.storage.putStream(key, Readable.from(body()), {
        contentType,
        metadata: { 'original-name': encodeURIComponent(fileName), 'uploaded-by': actor.id },
      });
    } catch (err) {
      const mapped = this.mapSourceError(err, file);
      if (mapped !== err) throw mapped;
      this.logger.error({ err, key }, 'storing an attachment failed');
      throw new DomainError(
        'storage_unavailable',
        'File storage is not available right now; nothing was saved. Please try again in a minute.',
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    if (file.truncated()) {
      await this.storage.delete(key).catch(() => undefined);
      throw new FileTooLargeError(this.config.tuning.maxUploadMb);
    }
    try {
      const attachment = await this.prisma.$transaction(async (tx) => {
        const count = await tx.attachment.count({ where: { recordId } });
        if (count >= this.config.tuning.maxAttachmentsPerRecord) throw this.tooManyFiles();
        const row = await tx.attachment.create({
          data: {
            recordId,
            storageKey: key,
            originalName: fileName,
            contentType,
            size: BigInt(size),
            checksum: hash.digest('hex'),
            uploadedById: actor.id,
          },
        });
        await this.audit.record(tx, {
          actor,
          action: 'attachment.added',
          subjectType: 'record',
          subjectId: recordId,
          summary: { file: fileName, contentType, size },
          ip,
        });
        return row;
      });
      await this.dashboard.invalidate();
      return attachment;
    } catch (err) {
      await this.storage
        .delete(key)
        .catch((e: Error) => this.logger.warn(`could not remove ${key}: ${e.message}`));
      throw err;
    }
  }

  /** The attachment, if the viewer may see its record; else 404. */
  async find(viewer: AuthUser, recordId: string, attachmentId: string): Promise<Attachment> {
    return attachmentOf(await this.records.get(recordId, viewer), attachmentId);
  }

  /** A short-lived (5 min) download URL, answered with the original name as an attachment. */
  async downloadUrl(viewer: AuthUser, recordId: string, attachmentId: string): Promise<string> {
    const row = await this.find(viewer, recordId, attachmentId);
    return this.storage.presignedGetUrl(row.storageKey, {
      expiresInSeconds: 300,
      contentDisposition: attachmentDisposition(row.originalName),
      contentType: row.contentType,
    });
  }

  async remove(actor: AuthUser, recordId: string, attachmentId: string, ip: string): Promise<void> {
    const record = await this.records.get(recordId, actor);
    const row = attachmentOf(record, attachmentId);
    if (record.authorId !== actor.id) throw new NotFoundException('No such attachment.');
    if (!EDITABLE.includes(record.status)) throw notEditable();
    await this.prisma.$transaction(async (tx) => {
      await tx.attachment.delete({ where: { id: row.id } });
      await this.audit.record(tx, {
        actor,
        action: 'attachment.removed',
        subjectType: 'record',
        subjectId: recordId,
        summary: { file: row.originalName },
        ip,
      });
    });
    await this.storage
      .delete(row.storageKey)
      .catch((e: Error) => this.logger.warn(`orphan left for the sweeper: ${row.storageKey} (${e.message})`));
  }

  private mapSourceError(err: unknown, file: IncomingFile): unknown {
    const code = (err as { code?: string }).code;
    if (file.truncated() || code === 'FST_REQ_FILE_TOO_LARGE')
      return new FileTooLargeError(this.config.tuning.maxUploadMb);
    return err;
  }
}

export { ALLOWED_TYPES };
