import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A private redis-server on its own port, so a test may stop and restart it without disturbing others. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `password`: the server requires it (requirepass) and `url` carries it. */
export async function startPrivateRedis(options: { password?: string; started?: boolean } = {}): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is not installed (apt-get install redis-server); the readiness tests start their own');
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const handle: PrivateRedis = {
    url: `redis://${options.password ? `:${options.password}@` : ''}127.0.0.1:${port}`,
    port,
    async start() {
      const auth = options.password ? ['--requirepass', options.password] : [];
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth], {
        stdio: 'ignore',
      });
      const client = new Redis(handle.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      for (let i = 0; i < 100; i++) {
        try {
          await client.connect();
          await client.ping();
          client.disconnect();
          return;
        } catch {
          client.disconnect();
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error(`private redis-server on port ${port} did not start`);
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
  if (options.started !== false) await handle.start();
  return handle;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 55_000) continue;
    const bus = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 10_000, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (bus) return port;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answer(port: number, ...args: string[]): Promise<string> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return String(await client.call(args[0] as string, ...args.slice(1)));
  } finally {
    client.disconnect();
  }
}

interface Spawned {
  port: number;
  child: ChildProcess;
}

function spawnRedis(args: string[]): ChildProcess {
  return spawn('redis-server', args, { stdio: 'ignore' });
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

export interface PrivateCluster {
  /** Seed node URLs, as `store.redisCluster` takes them. */
  nodes: string[];
  stop(): Promise<void>;
}

/** Three masters with `--cluster-enabled yes`, joined by `redis-cli --cluster create`; takes a few seconds. */
export async function startRedisCluster(masters = 3): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-cluster-'));
  const spawned: Spawned[] = [];
  const stop = async () => {
    await stopAll(spawned.map((s) => s.child));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freeClusterPort();
      const child = spawnRedis([
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '2000',
        '--dir',
        dir,
      ]);
      spawned.push({ port, child });
    }
    for (const { port } of spawned) await waitFor(`cluster node ${port}`, async () => (await answer(port, 'ping')) === 'PONG');
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...spawned.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    for (const { port } of spawned) {
      await waitFor(`cluster state ok on ${port}`, async () => (await answer(port, 'cluster', 'info')).includes('cluster_state:ok'));
    }
    return { nodes: spawned.map((s) => `redis://127.0.0.1:${s.port}`), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface PrivateSentinelGroup {
  name: string;
  /** Sentinel URLs, as `store.redisSentinel.sentinels` takes them. */
  sentinels: string[];
  master: number;
  replica: number;
  /** The port of the node Sentinel currently names master. */
  currentMaster(): Promise<number>;
  /** `SENTINEL FAILOVER`, then waits until the replica is the master and takes writes. */
  failover(): Promise<number>;
  stop(): Promise<void>;
}

/** A master, one replica and one sentinel watching them (quorum 1). */
export async function startSentinelGroup(name = 'pfmaster'): Promise<PrivateSentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-sentinel-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [master, replica, sentinel] = [await freePort(), await freePort(), await freePort()] as [number, number, number];
    const base = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    children.push(spawnRedis(['--port', String(master), ...base]));
    children.push(spawnRedis(['--port', String(replica), ...base, '--replicaof', '127.0.0.1', String(master)]));
    await waitFor('replica in sync', async () => (await answer(replica, 'info', 'replication')).includes('master_link_status:up'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinel}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    await waitFor('sentinel sees the replica', async () => (await answer(sentinel, 'sentinel', 'replicas', name)).includes(String(replica)));
    const currentMaster = async () => {
      const client = new Redis({ port: sentinel, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const [, port] = (await client.call('sentinel', 'get-master-addr-by-name', name)) as [string, string];
        return Number(port);
      } finally {
        client.disconnect();
      }
    };
    return {
      name,
      sentinels: [`redis://127.0.0.1:${sentinel}`],
      master,
      replica,
      currentMaster,
      async failover() {
        const before = await currentMaster();
        await answer(sentinel, 'sentinel', 'failover', name);
        let after = before;
        await waitFor('sentinel to name a new master', async () => (after = await currentMaster()) !== before);
        await waitFor('the new master to take writes', async () => (await answer(after, 'info', 'replication')).includes('role:master'));
        return after;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Store options reaching a private topology, and how to throw it away; null for the shared Redis or no Redis. */
export interface Topology {
  options: { redisUrl: null; redisCluster?: string[]; redisSentinel?: { name: string; sentinels: string[] } };
  stop(): Promise<void>;
}

export async function startTopology(kind: string): Promise<Topology | null> {
  if (kind === 'cluster') {
    const cluster = await startRedisCluster();
    return { options: { redisUrl: null, redisCluster: cluster.nodes }, stop: cluster.stop };
  }
  if (kind === 'sentinel') {
    const group = await startSentinelGroup();
    return { options: { redisUrl: null, redisSentinel: { name: group.name, sentinels: group.sentinels } }, stop: group.stop };
  }
  return null;
}
