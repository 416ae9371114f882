import { Injectable } from '@nestjs/common';
import { RedisService } from '../cache';

/**
 * Sessions live in Redis (connect-redis under `<prefix>sess:`); this index lists each user's
 * session ids (`<prefix>user-sessions:<userId>`) so that all of them can be destroyed together.
 */
@Injectable()
export class SessionRegistry {
  constructor(private readonly redis: RedisService) {}

  get storePrefix(): string {
    return `${this.redis.prefix}sess:`;
  }

  private indexKey(userId: string): string {
    return `${this.redis.prefix}user-sessions:${userId}`;
  }

  async track(userId: string, sessionId: string, ttlSeconds: number): Promise<void> {
    await this.redis.client
      .multi()
      .sadd(this.indexKey(userId), sessionId)
      .expire(this.indexKey(userId), ttlSeconds)
      .exec();
  }

  async untrack(userId: string, sessionId: string): Promise<void> {
    await this.redis.client.srem(this.indexKey(userId), sessionId);
  }

  /** Ends every session of the user (but `exceptSessionId`). Returns how many were ended. */
  async destroyAll(userId: string, exceptSessionId?: string): Promise<number> {
    const ids = (await this.redis.client.smembers(this.indexKey(userId))).filter(
      (id) => id !== exceptSessionId,
    );
    if (!ids.length) return 0;
    await this.redis.client
      .multi()
      .del(...ids.map((id) => this.storePrefix + id))
      .srem(this.indexKey(userId), ...ids)
      .exec();
    return ids.length;
  }

  async count(userId: string): Promise<number> {
    return this.redis.client.scard(this.indexKey(userId));
  }
}
