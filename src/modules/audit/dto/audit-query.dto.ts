import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS } from '../audit.service';
import { utcDay, utcDayEnd } from '../../../common/dates';

const blankToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class AuditQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(AUDIT_ACTIONS, { message: 'Unknown action.' })
  action?: string;

  @ApiPropertyOptional({ description: 'Id of the user who acted.' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all', { message: 'actorId must be a user id.' })
  actorId?: string;

  @ApiPropertyOptional({ description: 'Id of the subject (e.g. a user id).' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID('all', { message: 'subjectId must be an id.' })
  subjectId?: string;

  @ApiPropertyOptional({ description: 'From this day (UTC), YYYY-MM-DD.' })
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(DAY, { message: 'Use a date like 2026-12-31.' })
  from?: string;

  @ApiPropertyOptional({ description: 'Up to and including this day (UTC), YYYY-MM-DD.' })
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(DAY, { message: 'Use a date like 2026-12-31.' })
  to?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number.' })
  @Min(1, { message: 'page must be at least 1.' })
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 100 })
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number.' })
  @Min(1, { message: 'pageSize must be 1–100.' })
  @Max(100, { message: 'pageSize must be 1–100.' })
  pageSize?: number;
}

export function toAuditFilter(q: AuditQueryDto) {
  return {
    action: q.action,
    actorId: q.actorId,
    subjectId: q.subjectId,
    from: q.from ? utcDay(q.from) : undefined,
    to: q.to ? utcDayEnd(q.to) : undefined,
    page: q.page ?? 1,
    pageSize: q.pageSize ?? 50,
  };
}
