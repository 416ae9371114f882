import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { API_TOKEN_MAX_DAYS } from '../api-tokens.service';

export class TokenRequestDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString({ message: 'Enter your password.' })
  @Length(1, 1024, { message: 'Enter your password.' })
  password: string;

  @ApiPropertyOptional({
    description: 'A label for the token (shown on the profile page).',
    example: 'CI export',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'The name must be 1–100 characters.' })
  name?: string;

  @ApiPropertyOptional({
    description: `Days until the token expires (1–${API_TOKEN_MAX_DAYS}).`,
    example: 30,
    default: 30,
  })
  @IsOptional()
  @IsInt({ message: `Expiry must be a whole number of days (1–${API_TOKEN_MAX_DAYS}).` })
  @Min(1, { message: `Expiry must be a whole number of days (1–${API_TOKEN_MAX_DAYS}).` })
  @Max(API_TOKEN_MAX_DAYS, { message: `Expiry must be a whole number of days (1–${API_TOKEN_MAX_DAYS}).` })
  expiresInDays?: number;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'The bearer token. Shown once: store it now.' })
  token: string;

  @ApiProperty()
  expiresAt: Date;
}

export class MeDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['MANAGEMENT', 'STAFF'] }) role: string;
  @ApiProperty({ enum: ['PENDING', 'ACTIVE', 'DEACTIVATED'] }) status: string;
}
