import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Public } from '../../common/auth/decorators';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { MeDto, TokenRequestDto, TokenResponseDto } from './dto/token-request.dto';

@ApiTags('auth')
@Controller('api/v1')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Public()
  @Post('auth/token')
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange email and password for a personal API token (throttled like sign-in).' })
  async token(@Body() body: TokenRequestDto, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    const user = await this.auth.authenticate(body.email, body.password, request.ip);
    const { token, view } = await this.apiTokens.create(
      user,
      body.name ?? 'API sign-in',
      body.expiresInDays ?? 30,
      request.ip,
    );
    return { token, expiresAt: view.expiresAt };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): MeDto {
    return { id: user.id, email: user.email, name: user.name, role: user.role, status: user.status };
  }
}
