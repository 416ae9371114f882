import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
export const ROLES = ['MANAGEMENT', 'STAFF'] as const;
export const STATUSES = ['PENDING', 'ACTIVE', 'DEACTIVATED'] as const;

export class InviteUserDto {
  @ApiProperty({ example: 'Ada Lovelace' })
  @Transform(trim)
  @IsString({ message: 'Enter a name.' })
  @Length(1, 100, { message: 'Enter a name of 1–100 characters.' })
  name: string;

  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(254, { message: 'Enter a valid email address.' })
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: 'Choose a role.' })
  role: (typeof ROLES)[number];
}

/** Name and role; the email only while the user is pending. Other fields are ignored. */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Ada King' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'Enter a name.' })
  @Length(1, 100, { message: 'Enter a name of 1–100 characters.' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: 'Choose a role.' })
  role?: (typeof ROLES)[number];

  @ApiPropertyOptional({ description: 'Only while the user is pending; a change re-sends the invitation.' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(254, { message: 'Enter a valid email address.' })
  email?: string;
}

export class UserListQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsIn(STATUSES, { message: 'Unknown status.' })
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsIn(ROLES, { message: 'Unknown role.' })
  role?: (typeof ROLES)[number];

  @ApiPropertyOptional({ description: 'Part of a name or email.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Date }) lastLoginAt: Date | null;
  @ApiProperty() createdAt: Date;
}
