import type { AuthUser } from '../../common/auth/auth-user';
import type { Attachment } from '../../generated/prisma/client';
import type { RecordDto } from './dto/record.dto';
import type { RecordWithAuthor } from './records.repository';
import { EDITABLE } from './records.service';
import { isoDay, utcMinute } from '../../common/dates';

export const STATUS_LABEL: Record<string, string> = {
  DRAFT: 'Draft',
  SUBMITTED: 'Submitted',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
};

export function toRecordDto(r: RecordWithAuthor & { attachments?: Attachment[] }): RecordDto {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    workDate: isoDay(r.workDate),
    hours: Number(r.hours),
    category: r.category,
    status: r.status,
    authorId: r.authorId,
    authorName: r.author.name,
    reviewerId: r.reviewerId,
    reviewComment: r.reviewComment,
    reviewedAt: r.reviewedAt,
    submittedAt: r.submittedAt,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    attachments: r.attachments?.map((a) => ({
      id: a.id,
      originalName: a.originalName,
      contentType: a.contentType,
      size: Number(a.size),
      checksum: a.checksum,
      createdAt: a.createdAt,
    })),
  };
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The record as the pages show it, with what the viewer may do to it. */
export function recordView(r: RecordWithAuthor & { attachments?: Attachment[] }, viewer: AuthUser) {
  const own = r.authorId === viewer.id;
  const editable = own && EDITABLE.includes(r.status);
  return {
    ...toRecordDto(r),
    statusLabel: STATUS_LABEL[r.status],
    reviewedAt: r.reviewedAt ? utcMinute(r.reviewedAt) : null,
    canEdit: editable,
    canSubmit: editable,
    canDelete: own && r.status === 'DRAFT',
    canReview: viewer.role === 'MANAGEMENT' && !own && r.status === 'SUBMITTED',
    canAttach: editable,
    attachments: (r.attachments ?? []).map((a) => ({
      id: a.id,
      name: a.originalName,
      contentType: a.contentType,
      size: humanSize(Number(a.size)),
    })),
  };
}
