import {
  Body,
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { DomainError } from '../../common/errors';
import { FormErrorFilter } from '../../common/http/form-error.filter';
import type { User } from '../../generated/prisma/client';
import { WebSession } from '../auth/web-session';
import { InviteUserDto, UpdateUserDto, UserListQueryDto } from './dto/user.dto';
import { UsersService } from './users.service';
import { isoDay, utcMinute } from '../../common/dates';

type Req = FastifyRequest<{ Params: { id?: string } }>;

/** The user as the pages show it. */
export function userView(u: User, viewer?: { id: string }) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    roleLabel: u.role === 'MANAGEMENT' ? 'Management' : 'Staff',
    status: u.status,
    statusLabel: u.status.charAt(0) + u.status.slice(1).toLowerCase(),
    lastLoginAt: u.lastLoginAt ? utcMinute(u.lastLoginAt) : null,
    createdAt: isoDay(u.createdAt),
    isPending: u.status === 'PENDING',
    isActive: u.status === 'ACTIVE',
    isDeactivated: u.status === 'DEACTIVATED',
    isSelf: viewer?.id === u.id,
  };
}

const idOf = (req: FastifyRequest): string => (req.params as { id?: string }).id ?? '';

/** A refused action re-renders the user's page with the message, with the error's 4xx status. */
@Catch(DomainError)
@Injectable()
export class UserShowErrorFilter extends FormErrorFilter {
  constructor(users: UsersService) {
    super('pages/users/show', async (req) => {
      const user = await users.get(idOf(req));
      return { title: user.name, user: userView(user, req.user) };
    });
  }
}

/** A refused edit re-renders the edit form with the messages beside the fields. */
@Catch(DomainError)
@Injectable()
export class UserEditErrorFilter extends FormErrorFilter {
  constructor(users: UsersService) {
    super('pages/users/edit', async (req) => {
      const user = await users.get(idOf(req));
      return { title: `Edit ${user.name}`, user: userView(user, req.user) };
    });
  }
}

@ApiExcludeController()
@Roles('MANAGEMENT')
@Controller('users')
export class UsersPageController {
  constructor(
    private readonly users: UsersService,
    private readonly session: WebSession,
  ) {}

  @Get()
  @Render('pages/users/index')
  async list(@Query() query: UserListQueryDto, @CurrentUser() viewer: AuthUser) {
    const users = await this.users.list(query);
    return {
      title: 'Users',
      users: users.map((u) => userView(u, viewer)),
      filter: query,
      count: users.length,
      values: {},
    };
  }

  @Get('invite')
  @Render('pages/users/invite')
  invitePage() {
    return { title: 'Invite a user', values: { role: 'STAFF' } };
  }

  @Post('invite')
  @UseFilters(new FormErrorFilter('pages/users/invite', () => ({ title: 'Invite a user' })))
  async invite(
    @Body() body: InviteUserDto,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    const user = await this.users.invite(actor, body, request.ip);
    return this.session.redirectWith(
      request,
      reply,
      `/users/${user.id}`,
      `Invitation sent to ${user.email}.`,
    );
  }

  @Get(':id')
  @Render('pages/users/show')
  async show(@Param('id') id: string, @CurrentUser() viewer: AuthUser) {
    const user = await this.users.get(id);
    return { title: user.name, user: userView(user, viewer) };
  }

  @Get(':id/edit')
  @Render('pages/users/edit')
  async editPage(@Param('id') id: string, @CurrentUser() viewer: AuthUser) {
    const user = await this.users.get(id);
    return {
      title: `Edit ${user.name}`,
      user: userView(user, viewer),
      values: { name: user.name, role: user.role, email: user.email },
    };
  }

  @Post(':id/edit')
  @UseFilters(UserEditErrorFilter)
  async edit(
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    const user = await this.users.update(actor, id, body, request.ip);
    return this.session.redirectWith(request, reply, `/users/${user.id}`, `Saved ${user.name}.`);
  }

  @Post(':id/deactivate')
  @UseFilters(UserShowErrorFilter)
  async deactivate(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    const user = await this.users.deactivate(actor, id, request.ip);
    return this.session.redirectWith(
      request,
      reply,
      `/users/${user.id}`,
      `${user.name} is deactivated and has been signed out everywhere.`,
    );
  }

  @Post(':id/reactivate')
  @UseFilters(UserShowErrorFilter)
  async reactivate(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    const user = await this.users.reactivate(actor, id, request.ip);
    return this.session.redirectWith(request, reply, `/users/${user.id}`, `${user.name} can sign in again.`);
  }

  @Post(':id/resend-invite')
  @UseFilters(UserShowErrorFilter)
  async resend(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    await this.users.resendInvite(actor, id, request.ip);
    this.session.flash(
      request,
      'success',
      'A new invitation is on its way; the previous link no longer works.',
    );
    return reply.redirect(`/users/${id}`, 303);
  }

  @Post(':id/revoke')
  @UseFilters(UserShowErrorFilter)
  async revoke(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() request: Req,
    @Res() reply: FastifyReply,
  ) {
    await this.users.revoke(actor, id, request.ip);
    return this.session.redirectWith(request, reply, '/users', 'The invitation was revoked.');
  }
}
