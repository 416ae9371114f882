import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config';

export type TurnstileAction = 'login' | 'forgot-password' | 'reset-password';

export interface TurnstileResult {
  ok: boolean;
  /** Why it failed, for logs and the audit trail (never shown to the user verbatim). */
  reason?: string;
}

/**
 * Server-side check of a Cloudflare Turnstile token. Fails closed: a timeout, a 5xx, a body
 * that is not JSON, a wrong hostname or action all count as a failed check.
 */
@Injectable()
export class TurnstileService {
  private readonly logger = new Logger(TurnstileService.name);

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.turnstile.enabled;
  }

  async verify(
    token: string | undefined,
    ip: string | undefined,
    action: TurnstileAction,
  ): Promise<TurnstileResult> {
    if (!this.enabled) return { ok: true };
    if (!token) return { ok: false, reason: 'missing-input-response' };
    const body = new URLSearchParams({ secret: this.config.turnstile.secretKey ?? '', response: token });
    if (ip) body.set('remoteip', ip);
    let res: Response;
    try {
      res = await fetch(this.config.turnstile.verifyUrl, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(this.config.turnstile.timeoutMs),
      });
    } catch (err) {
      this.logger.warn(`siteverify unreachable: ${(err as Error).message}`);
      return { ok: false, reason: 'siteverify-unreachable' };
    }
    if (!res.ok) return { ok: false, reason: `siteverify-http-${res.status}` };
    let data: { success?: unknown; hostname?: unknown; action?: unknown; 'error-codes'?: unknown };
    try {
      data = (await res.json()) as typeof data;
    } catch {
      return { ok: false, reason: 'siteverify-not-json' };
    }
    if (data.success !== true) {
      const codes = Array.isArray(data['error-codes']) ? data['error-codes'].join(',') : 'unsuccessful';
      return { ok: false, reason: codes || 'unsuccessful' };
    }
    if (data.hostname !== this.config.turnstile.hostname) return { ok: false, reason: 'hostname-mismatch' };
    if (data.action !== action) return { ok: false, reason: 'action-mismatch' };
    return { ok: true };
  }
}
