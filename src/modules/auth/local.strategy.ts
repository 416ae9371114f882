import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import passport from 'passport';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import type { User } from '../../generated/prisma/client';
import { AuthService } from './auth.service';

/** passport-local over AuthService.authenticate; its errors (wrong password, throttled) pass through. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: FastifyRequest, email: string, password: string): Promise<User> {
    return this.auth.authenticate(email, password, request.ip);
  }
}

/**
 * Runs the credential check; the page controller then stores the user id in the session itself.
 * Passport's strategy registry is process-global: where several app instances share a process
 * (the e2e tests), the last one constructed would answer for all, so the guard points 'local'
 * at its own app's strategy before each check.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly strategy: LocalStrategy) {
    super();
  }

  override canActivate(context: ExecutionContext): ReturnType<CanActivate['canActivate']> {
    passport.use('local', this.strategy as unknown as passport.Strategy);
    return super.canActivate(context);
  }
}
