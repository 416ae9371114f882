import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiTokensService } from './api-tokens.service';
import { AuthApiController } from './auth.api.controller';
import { AuthPageController } from './auth.page.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { CsrfGuard } from './csrf.guard';
import { LocalAuthGuard, LocalStrategy } from './local.strategy';
import { LoginThrottle } from './login-throttle';
import { PageLocalsInterceptor } from './page-locals.interceptor';
import { SessionRegistry } from './session-registry';
import { TokenHasher } from './token-hasher';
import { TurnstileGuard } from './turnstile.guard';
import { TurnstileService } from './turnstile.service';
import { UserTokensService } from './user-tokens.service';
import { WebSession } from './web-session';

@Module({
  imports: [PassportModule],
  controllers: [AuthPageController, AuthApiController],
  providers: [
    AuthService,
    ApiTokensService,
    UserTokensService,
    TokenHasher,
    SessionRegistry,
    WebSession,
    LoginThrottle,
    TurnstileService,
    TurnstileGuard,
    LocalStrategy,
    LocalAuthGuard,
    // Order matters: CSRF first, then who is asking.
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_INTERCEPTOR, useClass: PageLocalsInterceptor },
  ],
  exports: [
    AuthService,
    ApiTokensService,
    UserTokensService,
    SessionRegistry,
    WebSession,
    TokenHasher,
    TurnstileService,
  ],
})
export class AuthModule {}
