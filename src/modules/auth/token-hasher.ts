import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config';

export interface IssuedToken {
  /** Sent to the user (in a link or once on screen); never stored. */
  token: string;
  /** HMAC-SHA256 of the token with HASH_SECRET; the only thing stored. */
  hash: string;
}

/** Secret tokens: 32 random bytes, stored only as an HMAC keyed with HASH_SECRET. */
@Injectable()
export class TokenHasher {
  constructor(private readonly config: AppConfig) {}

  issue(prefix = ''): IssuedToken {
    const token = prefix + randomBytes(32).toString('base64url');
    return { token, hash: this.hash(token) };
  }

  hash(token: string): string {
    return createHmac('sha256', this.config.auth.hashSecret).update(token, 'utf8').digest('hex');
  }

  /** Constant-time comparison of two hex digests. */
  static same(a: string, b: string): boolean {
    const x = Buffer.from(a, 'hex');
    const y = Buffer.from(b, 'hex');
    return x.length === y.length && timingSafeEqual(x, y);
  }
}
