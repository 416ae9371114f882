import type { TestingModule } from '@nestjs/testing';
import { CacheModule, CacheService, RedisService } from '../../src/modules/cache';
import { createInfraModule } from '../helpers/test-app';

describe(`${CacheService.name} (real Redis)`, () => {
  let moduleRef: TestingModule;
  let cache: CacheService;
  let redis: RedisService;

  beforeAll(async () => {
    moduleRef = await createInfraModule([CacheModule]);
    cache = moduleRef.get(CacheService);
    redis = moduleRef.get(RedisService);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('stores JSON values under the run’s key prefix with a TTL', async () => {
    await cache.set('greeting', { text: 'hello', n: 1 }, 60);
    expect(await cache.get('greeting')).toEqual({ text: 'hello', n: 1 });
    const key = `${process.env.REDIS_PREFIX}cache:greeting`;
    const ttl = await redis.client.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('returns undefined for a missing key and after del', async () => {
    expect(await cache.get('never-set')).toBeUndefined();
    await cache.set('short-lived', 42, 60);
    await cache.del('short-lived');
    expect(await cache.get('short-lived')).toBeUndefined();
  });

  it('wrap computes once, then serves the cached value', async () => {
    const fn = jest.fn(() => Promise.resolve({ computedAt: Date.now() }));
    const first = await cache.wrap('dashboard:1', 60, fn);
    const second = await cache.wrap('dashboard:1', 60, fn);
    expect(second).toEqual(first);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('wrap shares one computation between concurrent callers', async () => {
    let calls = 0;
    const fn = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 50));
      return 'value';
    };
    const results = await Promise.all([1, 2, 3, 4].map(() => cache.wrap('concurrent', 60, fn)));
    expect(results).toEqual(['value', 'value', 'value', 'value']);
    expect(calls).toBe(1);
  });

  it('wrap recomputes after the key is invalidated', async () => {
    let n = 0;
    const fn = () => Promise.resolve(++n);
    expect(await cache.wrap('counter', 60, fn)).toBe(1);
    await cache.del('counter');
    expect(await cache.wrap('counter', 60, fn)).toBe(2);
  });

  it('refuses a TTL that is not a positive whole number of seconds', async () => {
    await expect(cache.set('bad', 1, 0)).rejects.toThrow(RangeError);
  });
});
