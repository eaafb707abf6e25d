import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Lease, LeaseHolder, LeaseLock } from '../core/types.js';
import { holderIsGone, selfIdentity } from './lease-holder.js';

interface LockFile {
  token: string;
  host?: string;
  pid: number;
  started?: number;
  expiresAt: number;
}

/** Lease lock for the embedded store: an O_EXCL file per name in dataDir/locks holding token, pid and expiry. */
export class FileLeaseLock implements LeaseLock {
  constructor(private readonly dir: string, private readonly clock: () => number = Date.now) {}

  private file(name: string): string {
    return join(this.dir, `${encodeURIComponent(name)}.lock`);
  }

  private async read(path: string): Promise<LockFile | null> {
    try {
      return JSON.parse(await fs.readFile(path, 'utf8')) as LockFile;
    } catch {
      return null;
    }
  }

  private async create(path: string, token: string, ttlMs: number): Promise<boolean> {
    try {
      const body: LockFile = { token, ...selfIdentity(), expiresAt: this.clock() + ttlMs };
      await fs.writeFile(path, JSON.stringify(body), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  async holder(name: string): Promise<LeaseHolder | null> {
    const current = await this.read(this.file(name));
    if (!current || current.expiresAt <= this.clock()) return null;
    return { host: current.host ?? hostname(), pid: current.pid, expiresAt: current.expiresAt };
  }

  async acquire(name: string, ttlMs: number): Promise<Lease | null> {
    await fs.mkdir(this.dir, { recursive: true });
    const path = this.file(name);
    const token = randomUUID();
    if (!(await this.create(path, token, ttlMs))) {
      const current = await this.read(path);
      // An unreadable file is a holder caught mid-write; an expired lease, or one whose process is gone, is taken over.
      if (!current) return null;
      const gone = holderIsGone({ host: current.host ?? hostname(), pid: current.pid, started: current.started });
      if (current.expiresAt > this.clock() && !gone) return null;
      await fs.rm(path, { force: true });
      if (!(await this.create(path, token, ttlMs))) return null;
    }
    return this.lease(name, path, token, ttlMs);
  }

  private lease(name: string, path: string, token: string, ttlMs: number): Lease {
    return {
      name,
      token,
      renew: async () => {
        const current = await this.read(path);
        if (!current || current.token !== token || current.expiresAt <= this.clock()) return false;
        await fs.writeFile(path, JSON.stringify({ ...current, expiresAt: this.clock() + ttlMs }));
        return true;
      },
      release: async () => {
        const current = await this.read(path);
        if (current && current.token === token) await fs.rm(path, { force: true });
      },
    };
  }
}
