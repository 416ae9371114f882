export { CacheModule } from './cache.module';
export { CacheService } from './cache.service';
export { RedisService } from './redis.service';
export { describeRedis, redisOptions } from './redis-options';
