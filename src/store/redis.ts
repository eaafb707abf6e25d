import { randomUUID } from 'node:crypto';
import { Cluster, Redis, ReplyError, type ChainableCommander } from 'ioredis';
import { StoreError } from '../core/errors.js';
import { holderIsGone, selfIdentity, type HolderIdentity } from './lease-holder.js';
import type {
  ChangeQuery,
  GoneOutcome,
  HttpValidators,
  Item,
  ItemCandidate,
  ItemChange,
  ItemQuery,
  Lease,
  LeaseHolder,
  LeaseLock,
  RecheckTarget,
  StoreStats,
  UpsertOutcome,
} from '../core/types.js';
import { goneTransition, presentTransition, settleUpsert } from './changes.js';
import { identityKey, validatorKey } from './canonical.js';
import {
  decide,
  INDEX_VERSION,
  indexEntries,
  layout1Fingerprints,
  lookupEntries,
  publicItem,
  reindexed,
  signatureOf,
  type DecisionReader,
  type Signature,
  type StoredItem,
} from './decide.js';
import { retentionCutoff, type OpenStore, type StoreOptions } from './options.js';

const MAX_ATTEMPTS = 50;
/** Items per ZSCAN page and per re-index transaction. */
const REINDEX_BATCH = 200;
/** How long a write waits for replicas to confirm it under Sentinel. */
const REPLICA_CONFIRM_MS = 2_000;
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Capped exponential backoff, forever: the service keeps trying while Redis is away. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 10), 10_000);
}

function parseLeaseValue(value: string): HolderIdentity {
  const [, host = '', pid = '0', started] = value.split(' ');
  return { host, pid: Number(pid), started: started === undefined ? undefined : Number(started) };
}

/** The key schema (see README.md); every key lives under the prefix. */
export function redisKeys(prefix: string) {
  return {
    item: (id: string) => `${prefix}item:${id}`,
    signature: (id: string) => `${prefix}sig:${id}`,
    set: (name: string) => `${prefix}z:${name}`,
    url: (key: string) => `${prefix}url:${key}`,
    hash: (hash: string) => `${prefix}hash:${hash}`,
    band: (fingerprint: string) => `${prefix}fp:${fingerprint}`,
    http: (url: string) => `${prefix}http:${url}`,
    names: (kind: 'cat' | 'src') => `${prefix}names:${kind}`,
    version: `${prefix}version`,
    /** Layout of the fingerprint index (INDEX_VERSION); absent = 1. */
    layout: `${prefix}layout`,
    lock: (name: string) => `${prefix}lock:${name}`,
    state: (name: string) => `${prefix}state:${name}`,
    change: (id: string) => `${prefix}chg:${id}`,
    /** Sorted sets of change ids by time: every change, and one item's. */
    changes: `${prefix}changes`,
    itemChanges: (itemId: string) => `${prefix}changes:${itemId}`,
  };
}

/** A standalone or Sentinel-managed connection, or a Cluster client: the store speaks to all three alike. */
export type RedisClient = Redis | Cluster;

interface NodeAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
}

function nodeAddress(url: string): NodeAddress {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    tls: parsed.protocol === 'rediss:',
  };
}

/** Where the store connects, without credentials (for logs). */
export function describeTopology(options: StoreOptions): string {
  const bare = (url: string) => {
    const a = nodeAddress(url);
    return `${a.tls ? 'rediss' : 'redis'}://${a.host}:${a.port}`;
  };
  if (options.redisCluster?.length) return `cluster ${options.redisCluster.map(bare).join(',')}`;
  if (options.redisSentinel) return `sentinel ${options.redisSentinel.name} via ${options.redisSentinel.sentinels.map(bare).join(',')}`;
  return bare(options.redisUrl ?? 'redis://127.0.0.1:6379');
}

const CONNECTION = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: reconnectDelay,
} as const;

/** A demoted master answers READONLY: reconnect, so Sentinel names the new one. */
const reconnectOnReadOnly = (err: Error) => err.message.startsWith('READONLY');

function connect(options: StoreOptions): RedisClient {
  if (options.redisCluster?.length) {
    const first = nodeAddress(options.redisCluster[0] as string);
    return new Cluster(
      options.redisCluster.map((url) => ({ host: nodeAddress(url).host, port: nodeAddress(url).port })),
      {
        lazyConnect: true,
        enableOfflineQueue: false,
        clusterRetryStrategy: reconnectDelay,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        redisOptions: {
          ...CONNECTION,
          ...(first.username ? { username: first.username } : {}),
          ...(first.password ? { password: first.password } : {}),
          ...(first.tls ? { tls: {} } : {}),
        },
      },
    );
  }
  if (options.redisSentinel) {
    const sentinels = options.redisSentinel.sentinels.map(nodeAddress);
    const first = sentinels[0] as NodeAddress;
    return new Redis({
      ...CONNECTION,
      name: options.redisSentinel.name,
      sentinels: sentinels.map(({ host, port }) => ({ host, port })),
      role: 'master',
      sentinelRetryStrategy: reconnectDelay,
      failoverDetector: true,
      reconnectOnError: reconnectOnReadOnly,
      ...(first.username ? { username: first.username, sentinelUsername: first.username } : {}),
      ...(first.password ? { password: first.password, sentinelPassword: first.password } : {}),
      ...(first.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
    });
  }
  return new Redis(options.redisUrl ?? 'redis://127.0.0.1:6379', CONNECTION);
}

export function createRedisClient(options: StoreOptions): RedisClient {
  const client = connect(options);
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) options.logger.warn({ err: err.message, redis: describeTopology(options) }, 'store: Redis unavailable; retrying in the background');
    down = true;
  });
  client.on('ready', () => {
    if (down) options.logger.info('store: Redis is back');
    down = false;
  });
  return client;
}

/** The replies of a pipeline, in order; the first failed command's error is thrown. */
async function replies(pipe: ChainableCommander): Promise<unknown[]> {
  return ((await pipe.exec()) ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

export class RedisStore implements OpenStore {
  readonly kind = 'redis' as const;
  readonly lock: LeaseLock;
  private readonly k: ReturnType<typeof redisKeys>;
  private queue: Promise<unknown> = Promise.resolve();
  /** The one-time re-index to the current layout, awaited before the first write; null until asked or after it failed. */
  private layout: Promise<void> | null = null;

  constructor(
    private readonly client: RedisClient,
    private readonly options: StoreOptions,
  ) {
    this.k = redisKeys(options.keyPrefix);
    this.lock = {
      acquire: (name, ttlMs) => this.guard(() => this.acquire(name, ttlMs)),
      holder: (name) => this.guard(() => this.holder(name)),
    };
  }

  /**
   * UNWATCH names no key, so a Cluster client would send it to any node: it goes to every master instead
   * (the WATCHes of this store all sit on the one node owning the prefix's slot).
   */
  private async unwatch(): Promise<void> {
    if (this.client instanceof Cluster) await Promise.all(this.client.nodes('master').map((node) => node.unwatch()));
    else await this.client.unwatch();
  }

  /**
   * Under Sentinel a write counts as done once `waitReplicas` replicas have it: a failover promotes a replica,
   * and what only the old master held would be gone. An unconfirmed write is reported, never acknowledged.
   */
  private async confirmWrite(what: string): Promise<void> {
    const needed = this.options.redisSentinel ? (this.options.redisSentinel.waitReplicas ?? 1) : 0;
    if (needed === 0 || this.client instanceof Cluster) return;
    const confirmed = Number(await this.client.wait(needed, REPLICA_CONFIRM_MS));
    if (confirmed < needed) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `write of ${what} confirmed by ${confirmed} of ${needed} replicas within ${REPLICA_CONFIRM_MS} ms (store.redisSentinel.waitReplicas); it may not survive a failover`,
      );
    }
  }

  /** Maps client errors to StoreError: a Redis reply error is a failure, anything else means unreachable. */
  private async guard<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      if (cause instanceof ReplyError && this.client.status === 'ready') {
        throw new StoreError('STORE_FAILED', `Redis command failed: ${(cause as Error).message}`, { cause });
      }
      throw new StoreError('STORE_UNAVAILABLE', `Redis is unavailable (${(cause as Error).message})`, { cause });
    }
  }

  /** One transaction at a time per connection: WATCH belongs to the connection. Writes wait for the index layout. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const indexed = () => this.indexed().then(task);
    const run = this.queue.then(indexed, indexed);
    this.queue = run.catch(() => undefined);
    return this.guard(() => run);
  }

  private indexed(): Promise<void> {
    this.layout ??= this.reindex().catch((err: unknown) => {
      this.layout = null;
      throw err;
    });
    return this.layout;
  }

  /**
   * Re-indexes a store of an older layout: every item (the members of `z:all` and `z:gone:*`, ZSCANned in
   * pages, so a Cluster reads the one slot) gets current anchors and fingerprint keys, a page per MULTI, then
   * `layout` is set. Idempotent: an item already current is skipped, so replicas starting together only
   * repeat each other's reads, and a page another writer touched meanwhile is read again.
   */
  private async reindex(): Promise<void> {
    if (Number((await this.client.get(this.k.layout)) ?? 1) >= INDEX_VERSION) return;
    const started = performance.now();
    const sets = ['all', ...(await this.client.smembers(this.k.names('src'))).map((s) => `gone:${s}`)];
    let items = 0;
    for (const set of sets) {
      let cursor = '0';
      do {
        const [next, flat] = await this.client.zscan(this.k.set(set), cursor, 'COUNT', REINDEX_BATCH);
        cursor = next;
        items += await this.reindexPage(flat.filter((_, i) => i % 2 === 0));
      } while (cursor !== '0');
    }
    await this.client.set(this.k.layout, String(INDEX_VERSION));
    this.options.logger.info(
      { items, ms: Math.round(performance.now() - started) },
      `store: fingerprint index of ${items} items rebuilt (layout ${INDEX_VERSION})`,
    );
  }

  /** Items of the page rewritten to the current layout, in one MULTI under WATCH of their keys. */
  private async reindexPage(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const keys = ids.map((id) => this.k.item(id));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await this.client.watch(...keys);
      const stale = (await this.client.mget(...keys))
        .filter((json): json is string => json !== null)
        .map((json) => JSON.parse(json) as StoredItem)
        .map((item) => ({ item, after: reindexed(item) }))
        .filter(({ item, after }) => after.anchors.length === 0 || after.anchors.join() !== (item.anchors ?? []).join());
      if (!stale.length) return (await this.unwatch(), 0);
      const multi = this.client.multi();
      // Only the item's anchors and fingerprint sets change; its signature, pointers and feed sets stay.
      for (const { item, after } of stale) {
        const current = lookupEntries(after).fingerprints;
        for (const key of layout1Fingerprints(item)) if (!current.includes(key)) multi.srem(this.k.band(key), item.id);
        for (const key of current) multi.sadd(this.k.band(key), item.id);
        multi.set(this.k.item(item.id), JSON.stringify(after));
      }
      multi.incr(this.k.version);
      if ((await multi.exec()) !== null) return stale.length;
    }
    throw new StoreError('STORE_FAILED', 're-indexing the fingerprints kept conflicting with other writers');
  }

  /** Each lookup WATCHes what it reads in the same round trip; a decision costs a fixed number of round trips. */
  private watchingReader(): DecisionReader {
    const c = this.client;
    const watchedGet = async (key: string) => (await replies(c.pipeline().watch(key).get(key)))[1] as string | null;
    const watchedMget = async (keys: string[]) =>
      (
        await replies(
          c
            .pipeline()
            .watch(...keys)
            .mget(...keys),
        )
      )[1] as Array<string | null>;
    const watchedItems = async (ids: string[]) => {
      const rows = await watchedMget(ids.map((id) => this.k.item(id)));
      return rows.map((json) => (json ? (JSON.parse(json) as StoredItem) : null));
    };
    return {
      idForKey: (key) => watchedGet(this.k.url(key)),
      idForHash: (hash) => watchedGet(this.k.hash(hash)),
      idsForFingerprints: async (fingerprints, maxPerKey) => {
        const keys = fingerprints.map((f) => this.k.band(f));
        const pipe = c.pipeline().watch(...keys);
        for (const key of keys) pipe.scard(key);
        const sizes = (await replies(pipe)).slice(1) as number[];
        const small = keys.filter((_, i) => (sizes[i] ?? 0) > 0 && (sizes[i] ?? 0) <= maxPerKey);
        return small.length ? c.sunion(...small) : [];
      },
      signatures: async (ids) => {
        const rows = await watchedMget(ids.map((id) => this.k.signature(id)));
        // Items written before signature keys existed are read whole.
        const legacy = ids.filter((_, i) => rows[i] === null);
        const items = new Map(legacy.length ? (await watchedItems(legacy)).map((item, i) => [legacy[i] as string, item]) : []);
        return ids.map((id, i) => {
          const row = rows[i];
          if (row) return JSON.parse(row) as Signature;
          const item = items.get(id);
          return item ? signatureOf(item) : null;
        });
      },
      load: async (id) => (await watchedItems([id]))[0] ?? null,
    };
  }

  private writeItem(multi: ChainableCommander, before: StoredItem | null, after: StoredItem): void {
    const next = indexEntries(after);
    const prev = before ? indexEntries(before) : null;
    multi.set(this.k.item(after.id), JSON.stringify(after));
    multi.set(this.k.signature(after.id), JSON.stringify(signatureOf(after)));
    for (const key of next.keys) multi.set(this.k.url(key), after.id);
    for (const hash of next.hashes) multi.set(this.k.hash(hash), after.id);
    for (const band of prev?.fingerprints ?? []) if (!next.fingerprints.includes(band)) multi.srem(this.k.band(band), after.id);
    for (const band of next.fingerprints) multi.sadd(this.k.band(band), after.id);
    for (const name of prev?.sets ?? []) if (!next.sets.includes(name)) multi.zrem(this.k.set(name), after.id);
    for (const name of next.sets) multi.zadd(this.k.set(name), next.score, after.id);
    if (after.categories.length) multi.sadd(this.k.names('cat'), ...after.categories);
    if (after.sourceIds.length) multi.sadd(this.k.names('src'), ...after.sourceIds);
    multi.incr(this.k.version);
  }

  private writeChanges(multi: ChainableCommander, changes: ItemChange[]): void {
    for (const change of changes) {
      const score = Date.parse(change.at);
      multi.set(this.k.change(change.id), JSON.stringify(change));
      multi.zadd(this.k.changes, score, change.id);
      multi.zadd(this.k.itemChanges(change.itemId), score, change.id);
    }
  }

  private async change(id: string | undefined): Promise<ItemChange | null> {
    const json = id ? await this.client.get(this.k.change(id)) : null;
    return json ? (JSON.parse(json) as ItemChange) : null;
  }

  async knows(url: string, sourceId?: string): Promise<boolean> {
    return this.guard(async () => {
      const id = await this.client.get(this.k.url(identityKey(url)));
      if (id === null || sourceId === undefined) return id !== null;
      const [listed, gone] = (await replies(
        this.client
          .pipeline()
          .zscore(this.k.set(`src:${sourceId}`), id)
          .zscore(this.k.set(`gone:${sourceId}`), id),
      )) as Array<string | null>;
      return listed !== null || gone !== null;
    });
  }

  /** Optimistic: WATCH every key the decision read, write in MULTI, start over if another writer touched one. */
  upsert(candidate: ItemCandidate, now: Date = new Date()): Promise<UpsertOutcome> {
    return this.serial(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const decision = await decide(candidate, now, this.watchingReader(), this.options.nearDuplicateDistance, this.options.logger).catch(
          async (err: unknown) => {
            await this.unwatch().catch(() => undefined);
            throw err;
          },
        );
        const settled = settleUpsert(decision, now, decision.after.withdrawnAt ? await this.change(decision.after.withdrawal) : null);
        if (!settled.changed) {
          await this.unwatch();
          return settled.outcome;
        }
        const multi = this.client.multi();
        this.writeItem(multi, decision.before, settled.after);
        this.writeChanges(multi, settled.changes);
        if ((await multi.exec()) !== null) return (await this.confirmWrite(candidate.url), settled.outcome);
        this.options.logger.debug({ url: candidate.url, attempt }, 'store: concurrent write, retrying');
      }
      throw new StoreError('STORE_FAILED', `upsert of ${candidate.url} kept conflicting with other writers`);
    });
  }

  /** Reads an item under WATCH, applies a transition, writes it with its change record; retried on conflicts. */
  private transition<T>(
    id: string,
    missing: T,
    apply: (item: StoredItem) => Promise<{ result: T; after: StoredItem | null; change: ItemChange | null }>,
  ): Promise<T> {
    return this.serial(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        await this.client.watch(this.k.item(id));
        const json = await this.client.get(this.k.item(id));
        if (!json) return (await this.unwatch(), missing);
        const before = JSON.parse(json) as StoredItem;
        const { result, after, change } = await apply(before);
        if (!after) return (await this.unwatch(), result);
        const multi = this.client.multi();
        this.writeItem(multi, before, after);
        this.writeChanges(multi, change ? [change] : []);
        if ((await multi.exec()) !== null) return (await this.confirmWrite(`item ${id}`), result);
      }
      throw new StoreError('STORE_FAILED', `updating item ${id} kept conflicting with other writers`);
    });
  }

  markGone(id: string, status: number, now: Date = new Date()): Promise<GoneOutcome> {
    return this.transition<GoneOutcome>(id, 'unknown', async (item) => {
      const t = goneTransition(item, status, now);
      return { result: t.outcome, after: t.after, change: t.change };
    });
  }

  markPresent(id: string, now: Date = new Date()): Promise<boolean> {
    return this.transition(id, false, async (item) => {
      const t = presentTransition(item, item.withdrawnAt ? await this.change(item.withdrawal) : null, now);
      return { result: Boolean(item.withdrawnAt), after: t.after, change: t.change };
    });
  }

  private async changeRecords(ids: string[]): Promise<ItemChange[]> {
    if (!ids.length) return [];
    const rows = await this.client.mget(...ids.map((id) => this.k.change(id)));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as ItemChange);
  }

  async changes(query: ChangeQuery): Promise<ItemChange[]> {
    return this.guard(async () => {
      if (query.limit <= 0) return [];
      const min = query.since ? String(Date.parse(query.since)) : '-inf';
      return this.changeRecords(await this.client.zrevrangebyscore(this.k.changes, '+inf', min, 'LIMIT', 0, query.limit));
    });
  }

  async history(id: string): Promise<ItemChange[]> {
    return this.guard(async () => this.changeRecords(await this.client.zrange(this.k.itemChanges(id), 0, -1)));
  }

  async recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]> {
    return this.guard(async () => {
      const min = since ? String(Date.parse(since)) : '-inf';
      const [listed, gone] = (await replies(
        this.client
          .pipeline()
          .zrevrangebyscore(this.k.set(`src:${sourceId}`), '+inf', min)
          .zrevrange(this.k.set(`gone:${sourceId}`), 0, -1),
      )) as [string[], string[]];
      const ids = [...listed, ...gone];
      if (!ids.length) return [];
      const rows = await this.client.mget(...ids.map((id) => this.k.item(id)));
      return rows
        .filter((r): r is string => r !== null)
        .map((r) => JSON.parse(r) as StoredItem)
        .map((item) => ({ id: item.id, url: item.url, publishedAt: item.publishedAt, withdrawn: Boolean(item.withdrawnAt) }));
    });
  }

  private async items(ids: string[]): Promise<Item[]> {
    if (!ids.length) return [];
    const rows = await this.client.mget(...ids.map((id) => this.k.item(id)));
    return rows.filter((r): r is string => r !== null).map((r) => publicItem(JSON.parse(r) as StoredItem));
  }

  async latest(query: ItemQuery): Promise<Item[]> {
    return this.guard(async () => {
      const name = query.category ? `cat:${query.category}` : query.source ? `src:${query.source}` : 'all';
      if (query.limit <= 0) return [];
      if (!(query.category && query.source)) return this.items(await this.client.zrevrange(this.k.set(name), 0, query.limit - 1));
      const out: Item[] = [];
      const page = Math.max(50, query.limit * 4);
      for (let start = 0; out.length < query.limit; start += page) {
        const ids = await this.client.zrevrange(this.k.set(name), start, start + page - 1);
        for (const item of await this.items(ids)) if (item.sourceIds.includes(query.source as string) && out.length < query.limit) out.push(item);
        if (ids.length < page) break;
      }
      return out;
    });
  }

  async get(id: string): Promise<Item | null> {
    return this.guard(async () => (await this.items([id]))[0] ?? null);
  }

  async stats(): Promise<StoreStats> {
    return this.guard(async () => {
      const [cats, srcs] = await Promise.all([this.client.smembers(this.k.names('cat')), this.client.smembers(this.k.names('src'))]);
      const pipe = this.client.pipeline().zcard(this.k.set('all'));
      for (const name of [...cats.map((c) => `cat:${c}`), ...srcs.map((s) => `src:${s}`)]) pipe.zcard(this.k.set(name));
      const counts = ((await pipe.exec()) ?? []).map(([err, n]) => {
        if (err) throw err;
        return Number(n);
      });
      const byCategory: Record<string, number> = {};
      const bySource: Record<string, number> = {};
      cats.forEach((c, i) => counts[i + 1] && (byCategory[c] = counts[i + 1] as number));
      srcs.forEach((s, i) => counts[i + 1 + cats.length] && (bySource[s] = counts[i + 1 + cats.length] as number));
      return { items: counts[0] ?? 0, bySource, byCategory };
    });
  }

  async version(): Promise<string> {
    return this.guard(async () => (await this.client.get(this.k.version)) ?? '0');
  }

  async getValidators(url: string, scope?: string): Promise<HttpValidators | null> {
    return this.guard(async () => {
      const row = await this.client.hgetall(this.k.http(validatorKey(url, scope)));
      if (!('etag' in row) && !('lastModified' in row)) return null;
      return { etag: row.etag || null, lastModified: row.lastModified || null };
    });
  }

  async setValidators(url: string, v: HttpValidators, scope?: string): Promise<void> {
    await this.guard(() => this.client.hset(this.k.http(validatorKey(url, scope)), { etag: v.etag ?? '', lastModified: v.lastModified ?? '' }));
  }

  /** Removes one item and every index entry pointing at it, atomically. */
  private async removeItem(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await this.client.watch(this.k.item(id));
      const json = await this.client.get(this.k.item(id));
      if (!json) return (await this.unwatch(), false);
      const entries = indexEntries(JSON.parse(json) as StoredItem);
      const pointers = [...entries.keys.map((key) => this.k.url(key)), ...entries.hashes.map((h) => this.k.hash(h))];
      await this.client.watch(...pointers, this.k.itemChanges(id));
      const owners = await this.client.mget(...pointers);
      const changeIds = await this.client.zrange(this.k.itemChanges(id), 0, -1);
      const multi = this.client.multi().del(this.k.item(id), this.k.signature(id), this.k.itemChanges(id));
      if (changeIds.length) multi.zrem(this.k.changes, ...changeIds).del(...changeIds.map((c) => this.k.change(c)));
      pointers.forEach((key, i) => owners[i] === id && multi.del(key));
      for (const band of entries.fingerprints) multi.srem(this.k.band(band), id);
      for (const name of entries.sets) multi.zrem(this.k.set(name), id);
      multi.incr(this.k.version);
      if ((await multi.exec()) !== null) return (await this.confirmWrite(`item ${id}`), true);
    }
    throw new StoreError('STORE_FAILED', `removing item ${id} kept conflicting with other writers`);
  }

  trim(now: Date = new Date()): Promise<number> {
    return this.serial(async () => {
      const victims = new Set<string>();
      const cutoff = retentionCutoff(now, this.options.retentionDays);
      if (cutoff !== null) for (const id of await this.client.zrangebyscore(this.k.set('all'), '-inf', `(${cutoff}`)) victims.add(id);
      if (this.options.maxItems !== null) for (const id of await this.client.zrevrange(this.k.set('all'), this.options.maxItems, -1)) victims.add(id);
      let removed = 0;
      for (const id of victims) if (await this.removeItem(id)) removed++;
      if (removed) this.options.logger.info({ removed }, 'store: retention trimmed items');
      return removed;
    });
  }

  async ping(): Promise<void> {
    await this.guard(() => this.client.ping());
  }

  async getState<T = unknown>(name: string): Promise<T | null> {
    return this.guard(async () => {
      const json = await this.client.get(this.k.state(name));
      return json === null ? null : (JSON.parse(json) as T);
    });
  }

  async setState(name: string, value: unknown): Promise<void> {
    await this.guard(async () => {
      if (value === null) await this.client.del(this.k.state(name));
      else await this.client.set(this.k.state(name), JSON.stringify(value));
      await this.confirmWrite(`state ${name}`);
    });
  }

  /**
   * The lease value is `token host pid started`; renew and release compare the whole value. A lease whose holder
   * process is gone from this host is deleted only if it still holds that value (compare-and-delete), then taken.
   */
  private async acquire(name: string, ttlMs: number): Promise<Lease | null> {
    const key = this.k.lock(name);
    const self = selfIdentity();
    const token = `${randomUUID()} ${self.host} ${self.pid} ${self.started}`;
    if ((await this.client.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      const current = await this.client.get(key);
      if (current === null || !holderIsGone(parseLeaseValue(current), self)) return null;
      await this.client.eval(RELEASE_SCRIPT, 1, key, current);
      if ((await this.client.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
      this.options.logger.warn({ lease: name, holder: parseLeaseValue(current) }, 'took over a lease whose holder process is gone');
    }
    return {
      name,
      token,
      renew: () => this.guard(async () => Number(await this.client.eval(RENEW_SCRIPT, 1, key, token, String(ttlMs))) === 1),
      release: () => this.guard(async () => void (await this.client.eval(RELEASE_SCRIPT, 1, key, token))),
    };
  }

  private async holder(name: string): Promise<LeaseHolder | null> {
    const key = this.k.lock(name);
    const [value, ttl] = (await replies(this.client.pipeline().get(key).pttl(key))) as [string | null, number];
    if (value === null || ttl < 0) return null;
    const { host, pid } = parseLeaseValue(value);
    return { host, pid, expiresAt: Date.now() + ttl };
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
