import { describeRedis, redisOptions } from './redis-options';

describe(redisOptions.name, () => {
  it('uses REDIS_HOST and REDIS_PORT when no URL is given', () => {
    expect(redisOptions({ host: 'cache', port: 6380, prefix: 'wma:' })).toMatchObject({
      host: 'cache',
      port: 6380,
    });
  });

  it('reads credentials, database and TLS from REDIS_URL', () => {
    const o = redisOptions({
      url: 'rediss://user:p%40ss@redis.example:6390/2',
      host: 'ignored',
      port: 1,
      prefix: '',
    });
    expect(o).toMatchObject({
      host: 'redis.example',
      port: 6390,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
  });

  it('lets a caller add options (BullMQ needs maxRetriesPerRequest: null)', () => {
    expect(
      redisOptions({ host: 'h', port: 1, prefix: '' }, { maxRetriesPerRequest: null }).maxRetriesPerRequest,
    ).toBeNull();
  });

  it('describes the endpoint without credentials', () => {
    expect(describeRedis({ url: 'redis://:secret@redis:6379', host: '', port: 0, prefix: '' })).toBe(
      'redis:6379',
    );
  });
});
