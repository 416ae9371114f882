import { HttpStatus, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { DomainError } from '../../common/errors';
import { RedisService } from '../cache';

const WINDOW_SECONDS = 15 * 60;

export class ThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'too_many_attempts',
      `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}.`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Failed-attempt limits in Redis (rate-limiter-flexible), for sign-in and password resets:
 * 10 failures per 15 min for one account from one IP (so an attacker elsewhere cannot lock a
 * victim out), 50 per account from anywhere, 50 per IP across accounts. A success clears the
 * account+IP counter.
 */
@Injectable()
export class LoginThrottle {
  private readonly perAccountIp: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(redis: RedisService) {
    const make = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${redis.prefix}rl:${name}`,
        points,
        duration: WINDOW_SECONDS,
      });
    this.perAccountIp = make('login-acct-ip', 10);
    this.perAccount = make('login-acct', 50);
    this.perIp = make('login-ip', 50);
  }

  private keys(account: string, ip: string) {
    const a = account.trim().toLowerCase();
    return [
      [this.perAccountIp, `${a}|${ip}`],
      [this.perAccount, a],
      [this.perIp, ip],
    ] as const;
  }

  /** Throws {@link ThrottledError} when any limit is already reached. */
  async assertAllowed(account: string, ip: string): Promise<void> {
    for (const [limiter, key] of this.keys(account, ip)) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) {
        throw new ThrottledError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
    }
  }

  async recordFailure(account: string, ip: string): Promise<void> {
    for (const [limiter, key] of this.keys(account, ip)) {
      await limiter.penalty(key, 1);
    }
  }

  async recordSuccess(account: string, ip: string): Promise<void> {
    const [[limiter, key]] = this.keys(account, ip);
    await limiter.delete(key);
  }
}
