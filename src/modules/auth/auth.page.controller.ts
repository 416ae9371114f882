import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { ValidationFailedError } from '../../common/errors';
import { AllowPendingPassword, CurrentUser, Public } from '../../common/auth/decorators';
import { FormErrorFilter } from '../../common/http/form-error.filter';
import { RedirectException } from '../../common/http/redirect.exception';
import type { User } from '../../generated/prisma/client';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../database';
import { AuthService } from './auth.service';
import { LocalAuthGuard } from './local.strategy';
import { RequireTurnstile, TurnstileGuard } from './turnstile.guard';
import { UserTokensService } from './user-tokens.service';
import { WebSession } from './web-session';

/** Only same-site paths may be a post-login destination (no open redirects). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/';
}

type Form = Record<string, string | undefined>;

@ApiExcludeController()
@Controller()
export class AuthPageController {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
    private readonly tokens: UserTokensService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  @Public()
  @Get('login')
  @Render('pages/auth/login')
  loginPage(@Req() request: FastifyRequest, @Query('next') next?: string) {
    if (request.user && !request.user.mustChangePassword) throw new RedirectException(safeNext(next));
    return { title: 'Sign in', values: { next: next ?? '' } };
  }

  @Public()
  @Post('login')
  @RequireTurnstile('login')
  @UseGuards(TurnstileGuard, LocalAuthGuard)
  @UseFilters(new FormErrorFilter('pages/auth/login', () => ({ title: 'Sign in' })))
  async login(
    @Req() request: FastifyRequest & { user?: unknown },
    @Body() body: Form,
    @Res() reply: FastifyReply,
  ) {
    const user = request.user as unknown as User;
    await this.session.signIn(request, user);
    return reply.redirect(user.mustChangePassword ? '/change-password' : safeNext(body.next), 303);
  }

  @Public()
  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const user = request.user;
    if (user) {
      await this.audit.record(this.prisma, {
        actor: user,
        action: 'auth.logout',
        subjectType: 'session',
        ip: request.ip,
      });
    }
    await this.session.signOut(request);
    return reply.redirect('/login?signed_out=1', 303);
  }

  @AllowPendingPassword()
  @Get('change-password')
  @Render('pages/auth/change-password')
  changePasswordPage(@CurrentUser() user: AuthUser) {
    return { title: 'Set a new password', forced: user.mustChangePassword };
  }

  @AllowPendingPassword()
  @Post('change-password')
  @UseFilters(
    new FormErrorFilter('pages/auth/change-password', (req) => ({
      title: 'Set a new password',
      forced: req.user?.mustChangePassword,
    })),
  )
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: Form,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const wasPending = user.status === 'PENDING';
    await this.auth.changePassword(
      user,
      { current: body.current, password: body.password ?? '', confirm: body.confirm ?? '' },
      request.ip,
      request.session.sessionId,
    );
    await this.session.signIn(request, user); // a new session id after a credential change
    this.session.flash(
      request,
      'success',
      wasPending
        ? 'Your password is set. Welcome to WMA!'
        : 'Your password has been changed. Your other sessions were signed out.',
    );
    return reply.redirect('/', 303);
  }

  @Public()
  @Get('invite/:token')
  @Header('Referrer-Policy', 'no-referrer')
  async invitePage(@Param('token') token: string, @Res() reply: FastifyReply) {
    // Only shows the button: mail scanners that prefetch links must not spend them.
    const row = await this.tokens.find(token, 'INVITE');
    if (!row)
      return reply
        .status(410)
        .view('pages/auth/link-invalid', { title: 'Link not valid', kind: 'invitation' });
    return reply.view('pages/auth/invite', { title: 'Set up your account', token });
  }

  @Public()
  @Post('invite/:token')
  @Header('Referrer-Policy', 'no-referrer')
  async acceptInvite(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    let user: User;
    try {
      user = await this.auth.acceptInvite(token, request.ip);
    } catch {
      return reply
        .status(410)
        .view('pages/auth/link-invalid', { title: 'Link not valid', kind: 'invitation' });
    }
    await this.session.signIn(request, user);
    return reply.redirect('/change-password', 303);
  }

  @Public()
  @Get('forgot-password')
  @Render('pages/auth/forgot-password')
  forgotPage() {
    return { title: 'Forgot your password?', values: {} };
  }

  @Public()
  @Post('forgot-password')
  @RequireTurnstile('forgot-password')
  @UseGuards(TurnstileGuard)
  @UseFilters(new FormErrorFilter('pages/auth/forgot-password', () => ({ title: 'Forgot your password?' })))
  async forgot(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const email = (body.email ?? '').trim();
    if (!email) throw new ValidationFailedError([{ field: 'email', message: 'Enter your email address.' }]);
    await this.auth.requestPasswordReset(email, request.ip);
    // The same answer whether or not the account exists.
    return reply.status(200).view('pages/auth/forgot-password-sent', { title: 'Check your email', email });
  }

  @Public()
  @Get('reset-password/:token')
  @Header('Referrer-Policy', 'no-referrer')
  async resetPage(@Param('token') token: string, @Res() reply: FastifyReply) {
    if (!(await this.auth.resetLinkUsable(token))) {
      return reply
        .status(410)
        .view('pages/auth/link-invalid', { title: 'Link not valid', kind: 'password reset' });
    }
    return reply.view('pages/auth/reset-password', { title: 'Choose a new password', token });
  }

  @Public()
  @Post('reset-password/:token')
  @Header('Referrer-Policy', 'no-referrer')
  @RequireTurnstile('reset-password')
  @UseGuards(TurnstileGuard)
  @UseFilters(
    new FormErrorFilter('pages/auth/reset-password', (req) => ({
      title: 'Choose a new password',
      token: (req.params as { token?: string }).token,
    })),
  )
  async reset(
    @Param('token') token: string,
    @Body() body: Form,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.auth.resetPassword(token, body.password ?? '', body.confirm ?? '', request.ip);
    return this.session.redirectWith(
      request,
      reply,
      '/login',
      'Your password has been changed. Sign in with the new one.',
    );
  }
}
