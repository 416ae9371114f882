import {
  Body,
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  Post,
  Render,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/decorators';
import { DomainError } from '../../common/errors';
import { FormErrorFilter } from '../../common/http/form-error.filter';
import { API_TOKEN_MAX_DAYS, ApiTokensService, type ApiTokenView } from '../auth/api-tokens.service';
import { WebSession } from '../auth/web-session';
import { UsersService } from './users.service';
import { isoDay, utcMinute } from '../../common/dates';

const day = (d: Date | null) => (d ? isoDay(d) : null);

function tokenView(t: ApiTokenView) {
  const expired = t.expiresAt <= new Date();
  return {
    ...t,
    createdAt: day(t.createdAt),
    expiresAt: day(t.expiresAt),
    lastUsedAt: t.lastUsedAt ? utcMinute(t.lastUsedAt) : 'never',
    state: t.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
    live: !t.revokedAt && !expired,
  };
}

/** Profile errors re-render the profile page with the message beside the field. */
@Catch(DomainError)
@Injectable()
export class ProfileErrorFilter extends FormErrorFilter {
  constructor(tokens: ApiTokensService) {
    super('pages/profile/index', async (req) => ({
      title: 'Your profile',
      tokens: (await tokens.list(req.user?.id ?? '')).map(tokenView),
      maxDays: API_TOKEN_MAX_DAYS,
    }));
  }
}

@ApiExcludeController()
@Controller('profile')
export class ProfilePageController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: ApiTokensService,
    private readonly session: WebSession,
  ) {}

  @Get()
  @Render('pages/profile/index')
  async page(@CurrentUser() user: AuthUser) {
    return {
      title: 'Your profile',
      values: { name: user.name, tokenDays: '90' },
      tokens: (await this.tokens.list(user.id)).map(tokenView),
      maxDays: API_TOKEN_MAX_DAYS,
    };
  }

  @Post()
  @UseFilters(ProfileErrorFilter)
  async update(
    @Body() body: Record<string, string>,
    @CurrentUser() user: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.users.updateOwnName(user, body.name ?? '', req.ip);
    return this.session.redirectWith(req, reply, '/profile', 'Your name was saved.');
  }

  @Post('tokens')
  @UseFilters(ProfileErrorFilter)
  async createToken(
    @Body() body: Record<string, string>,
    @CurrentUser() user: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const days = /^\d{1,4}$/.test(body.tokenDays ?? '') ? Number(body.tokenDays) : NaN;
    const { token, view } = await this.tokens.create(user, body.tokenName ?? '', days, req.ip);
    // Shown once, on this response only; never stored in the session or anywhere else.
    return reply
      .status(200)
      .header('Cache-Control', 'no-store')
      .view('pages/profile/index', {
        title: 'Your profile',
        values: { name: user.name, tokenDays: '90' },
        tokens: (await this.tokens.list(user.id)).map(tokenView),
        maxDays: API_TOKEN_MAX_DAYS,
        newToken: { token, name: view.name, expiresAt: day(view.expiresAt) },
        csrfToken: reply.generateCsrf(),
      });
  }

  @Post('tokens/:id/revoke')
  @UseFilters(ProfileErrorFilter)
  async revokeToken(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.tokens.revoke(user, id, req.ip);
    return this.session.redirectWith(req, reply, '/profile', 'The token was revoked; it no longer works.');
  }
}
