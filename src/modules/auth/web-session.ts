import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config';
import type { User } from '../../generated/prisma/client';
import { SessionRegistry } from './session-registry';

/** Refresh `lastSeenAt` (and so the stored session) at most this often. */
const TOUCH_EVERY_MS = 60_000;

export type SessionState = 'none' | 'valid' | 'expired';

/** Signing in and out of browser sessions, and their idle and absolute timeouts. */
@Injectable()
export class WebSession {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly config: AppConfig,
  ) {}

  private get ttlSeconds(): number {
    return Math.ceil(this.config.auth.sessionAbsoluteMs / 1000);
  }

  /** A new session id for the signed-in user (never reuse the anonymous one: session fixation). */
  async signIn(request: FastifyRequest, user: Pick<User, 'id' | 'role'>): Promise<void> {
    const previous = request.session.get('userId');
    if (previous) await this.registry.untrack(previous, request.session.sessionId);
    await request.session.regenerate(['flash']);
    const now = Date.now();
    request.session.set('userId', user.id);
    request.session.set('role', user.role);
    request.session.set('authAt', now);
    request.session.set('lastSeenAt', now);
    await request.session.save();
    await this.registry.track(user.id, request.session.sessionId, this.ttlSeconds);
  }

  async signOut(request: FastifyRequest): Promise<void> {
    const userId = request.session.get('userId');
    if (userId) await this.registry.untrack(userId, request.session.sessionId);
    await request.session.destroy();
  }

  /** Whether the session belongs to someone, and whether it has run out. Touches it when due. */
  check(request: FastifyRequest): SessionState {
    const s = request.session;
    const userId = s.get('userId');
    if (!userId) return 'none';
    const now = Date.now();
    const authAt = s.get('authAt') ?? 0;
    const lastSeenAt = s.get('lastSeenAt') ?? 0;
    if (
      now - authAt > this.config.auth.sessionAbsoluteMs ||
      now - lastSeenAt > this.config.auth.sessionIdleMs
    ) {
      return 'expired';
    }
    if (now - lastSeenAt > TOUCH_EVERY_MS) s.set('lastSeenAt', now);
    return 'valid';
  }

  /** After a role change: same sign-in, new session id. */
  async rotate(request: FastifyRequest, role: string): Promise<void> {
    const userId = request.session.get('userId') as string;
    const oldId = request.session.sessionId;
    await request.session.regenerate(['userId', 'authAt', 'lastSeenAt', 'flash']);
    request.session.set('role', role);
    await request.session.save();
    await this.registry.untrack(userId, oldId);
    await this.registry.track(userId, request.session.sessionId, this.ttlSeconds);
  }

  flash(request: FastifyRequest, type: 'success' | 'error' | 'info', message: string): void {
    const list = request.session.get('flash') ?? [];
    request.session.set('flash', [...list, { type, message }]);
  }

  /** Post/redirect/get: a success message for the next page, then a 303 to `location`. */
  redirectWith(
    request: FastifyRequest,
    reply: FastifyReply,
    location: string,
    message: string,
  ): FastifyReply {
    this.flash(request, 'success', message);
    return reply.redirect(location, 303);
  }

  /** The flash messages waiting for the next page, removed from the session. */
  takeFlash(request: FastifyRequest): { type: string; message: string }[] {
    const list = request.session.get('flash');
    if (!list?.length) return [];
    request.session.set('flash', undefined);
    return list;
  }
}
