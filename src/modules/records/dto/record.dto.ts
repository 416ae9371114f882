import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const blank = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);
/** "7.5", "7,5" or 7.5 → 7.5; anything else is left for the validator to refuse. */
const toHours = ({ value }: { value: unknown }): unknown => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d{1,2}([.,]\d{1,2})?\s*$/.test(value))
    return Number(value.trim().replace(',', '.'));
  return value;
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const RECORD_STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export const SORTS = ['workDate', 'hours', 'status'] as const;
export const DESCRIPTION_MAX = 10_000;

export class RecordInputDto {
  @ApiProperty({ example: 'Quarterly report draft', maxLength: 200 })
  @Transform(trim)
  @IsString({ message: 'Enter a title.' })
  @Length(1, 200, { message: 'Enter a title of 1–200 characters.' })
  title: string;

  @ApiPropertyOptional({ description: 'Plain text; line breaks are kept.', maxLength: DESCRIPTION_MAX })
  @IsOptional()
  @IsString({ message: 'The description must be text.' })
  @MaxLength(DESCRIPTION_MAX, {
    message: `Keep the description under ${DESCRIPTION_MAX.toLocaleString('en')} characters.`,
  })
  description?: string;

  @ApiProperty({ example: '2026-12-03', description: 'The day the work was done (YYYY-MM-DD).' })
  @Matches(DAY, { message: 'Enter the date as YYYY-MM-DD.' })
  @IsISO8601({ strict: true }, { message: 'This date does not exist.' })
  workDate: string;

  @ApiProperty({ example: 7.5, description: '0.25–24, in quarter hours.' })
  @Transform(toHours)
  @IsNumber({}, { message: 'Enter the hours as a number, e.g. 7.5.' })
  @Min(0.25, { message: 'Hours must be between 0.25 and 24.' })
  @Max(24, { message: 'Hours must be between 0.25 and 24.' })
  hours: number;

  @ApiProperty({ example: 'Development', maxLength: 50 })
  @Transform(trim)
  @IsString({ message: 'Enter a category.' })
  @Length(1, 50, { message: 'Enter a category of 1–50 characters.' })
  category: string;
}

export class CreateRecordDto extends RecordInputDto {}

/** A change to a draft or rejected record; `version` is the one the change was made on. */
export class UpdateRecordDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'Enter a title.' })
  @Length(1, 200, { message: 'Enter a title of 1–200 characters.' })
  title?: string;

  @ApiPropertyOptional({ maxLength: DESCRIPTION_MAX })
  @IsOptional()
  @IsString({ message: 'The description must be text.' })
  @MaxLength(DESCRIPTION_MAX, {
    message: `Keep the description under ${DESCRIPTION_MAX.toLocaleString('en')} characters.`,
  })
  description?: string;

  @ApiPropertyOptional({ example: '2026-12-03' })
  @IsOptional()
  @Matches(DAY, { message: 'Enter the date as YYYY-MM-DD.' })
  @IsISO8601({ strict: true }, { message: 'This date does not exist.' })
  workDate?: string;

  @ApiPropertyOptional({ example: 7.5 })
  @IsOptional()
  @Transform(toHours)
  @IsNumber({}, { message: 'Enter the hours as a number, e.g. 7.5.' })
  @Min(0.25, { message: 'Hours must be between 0.25 and 24.' })
  @Max(24, { message: 'Hours must be between 0.25 and 24.' })
  hours?: number;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'Enter a category.' })
  @Length(1, 50, { message: 'Enter a category of 1–50 characters.' })
  category?: string;

  @ApiProperty({ description: 'The version the change was made on (from the record you read).' })
  @Type(() => Number)
  @IsInt({ message: 'version is required: send the version of the record you edited.' })
  @Min(1, { message: 'version is required: send the version of the record you edited.' })
  version: number;
}

export class ReviewDto {
  @ApiPropertyOptional({ description: 'Required when rejecting.', maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000, { message: 'Keep the comment under 2,000 characters.' })
  comment?: string;

  @ApiPropertyOptional({ description: 'The version reviewed; a stale review is refused.' })
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt()
  version?: number;
}

export class RecordListQueryDto {
  @ApiPropertyOptional({ enum: RECORD_STATUSES })
  @IsOptional()
  @Transform(blank)
  @IsIn(RECORD_STATUSES, { message: 'Unknown status.' })
  status?: (typeof RECORD_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Management only: one author’s records.' })
  @IsOptional()
  @Transform(blank)
  @IsUUID('all', { message: 'authorId must be a user id.' })
  authorId?: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Transform(blank)
  @Matches(DAY, { message: 'Use a date like 2026-12-31.' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Transform(blank)
  @Matches(DAY, { message: 'Use a date like 2026-12-31.' })
  to?: string;

  @ApiPropertyOptional({ description: 'Text in the title.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: SORTS, default: 'workDate' })
  @IsOptional()
  @Transform(blank)
  @IsIn(SORTS, { message: 'Sort by workDate, hours or status.' })
  sort?: (typeof SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @Transform(blank)
  @IsIn(['asc', 'desc'], { message: 'Order is asc or desc.' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number.' })
  @Min(1, { message: 'page must be at least 1.' })
  page?: number;

  @ApiPropertyOptional({ default: 25, maximum: 100 })
  @IsOptional()
  @Transform(blank)
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number.' })
  @Min(1, { message: 'pageSize must be 1–100.' })
  @Max(100, { message: 'pageSize must be 1–100.' })
  pageSize?: number;
}

export class AttachmentSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() originalName: string;
  @ApiProperty({ description: 'Sniffed from the content.' }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'SHA-256, hex.' }) checksum: string;
  @ApiProperty() createdAt: Date;
}

export class RecordDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: '2026-12-03' }) workDate: string;
  @ApiProperty({ example: 7.5 }) hours: number;
  @ApiProperty() category: string;
  @ApiProperty({ enum: RECORD_STATUSES }) status: string;
  @ApiProperty() authorId: string;
  @ApiProperty() authorName: string;
  @ApiProperty({ nullable: true, type: String }) reviewerId: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment: string | null;
  @ApiProperty({ nullable: true, type: Date }) reviewedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) submittedAt: Date | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiPropertyOptional({ type: [AttachmentSummaryDto], description: 'On single-record answers.' })
  attachments?: AttachmentSummaryDto[];
}
