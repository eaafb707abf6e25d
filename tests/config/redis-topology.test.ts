import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

const SOURCE = { id: 'a', name: 'A', baseUrl: 'https://a.example', sections: [{ id: 's', name: 'S', url: '/' }] };
const parse = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  parseConfig({ sources: [SOURCE], ...raw }, { file: '/etc/portalfeed/config.yaml', env, cwd: '/srv' });

describe('config: Redis topologies', () => {
  it('takes a cluster or a sentinel group from the file', () => {
    expect(parse({ store: { redisCluster: ['redis://r1:7000', 'redis://r2:7000'] } }).store).toMatchObject({
      redisUrl: null,
      redisCluster: ['redis://r1:7000', 'redis://r2:7000'],
      redisSentinel: null,
    });
    expect(parse({ store: { redisSentinel: { name: 'mymaster', sentinels: ['redis://s1:26379'] } } }).store.redisSentinel).toEqual({
      name: 'mymaster',
      sentinels: ['redis://s1:26379'],
      waitReplicas: 1,
    });
  });

  it('takes them from the environment, comma-separated', () => {
    expect(parse({}, { REDIS_CLUSTER_NODES: 'redis://r1:7000, redis://r2:7000,' }).store.redisCluster).toEqual([
      'redis://r1:7000',
      'redis://r2:7000',
    ]);
    expect(parse({}, { REDIS_SENTINELS: 'redis://s1:26379,redis://s2:26379', REDIS_SENTINEL_NAME: 'mymaster' }).store.redisSentinel).toMatchObject({
      name: 'mymaster',
      sentinels: ['redis://s1:26379', 'redis://s2:26379'],
    });
  });

  it.each<[string, Record<string, unknown>, NodeJS.ProcessEnv, RegExp]>([
    [
      'redisUrl with redisCluster',
      { store: { redisUrl: 'redis://a:6379', redisCluster: ['redis://r1:7000'] } },
      {},
      /store\.redisUrl and store\.redisCluster are both set/,
    ],
    [
      'redisCluster with redisSentinel',
      { store: { redisCluster: ['redis://r1:7000'], redisSentinel: { name: 'm', sentinels: ['redis://s:26379'] } } },
      {},
      /store\.redisCluster and store\.redisSentinel are both set/,
    ],
    [
      'REDIS_URL with a sentinel group in the file',
      { store: { redisSentinel: { name: 'm', sentinels: ['redis://s:26379'] } } },
      { REDIS_URL: 'redis://a:6379' },
      /store\.redisUrl and store\.redisSentinel are both set/,
    ],
    ['REDIS_SENTINELS without a name', {}, { REDIS_SENTINELS: 'redis://s:26379' }, /store\.redisSentinel\.name/],
    ['a cluster node that is no redis URL', { store: { redisCluster: ['r1:7000'] } }, {}, /store\.redisCluster\.0: must be a redis:\/\//],
    ['an empty cluster', { store: { redisCluster: [] } }, {}, /store\.redisCluster: needs at least one node/],
    [
      'a cluster with a prefix without hash tag',
      { store: { redisCluster: ['redis://r1:7000'], keyPrefix: 'pf:' } },
      {},
      /store\.keyPrefix: needs a hash tag/,
    ],
  ])('refuses %s, naming the keys', (_label, raw, env, message) => {
    expect(() => parse(raw, env)).toThrow(ConfigError);
    expect(() => parse(raw, env)).toThrow(message);
  });
});
