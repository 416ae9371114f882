import { Injectable } from '@nestjs/common';
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

/** Runs the credential check; the page controller then stores the user id in the session itself. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {}
