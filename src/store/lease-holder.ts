import { hostname } from 'node:os';

/** Who a process is, as written into the leases it takes. */
export interface HolderIdentity {
  host: string;
  pid: number;
  /** Process start (epoch ms): tells a restarted process that got the same pid (pid 1 in a container) from its predecessor. */
  started?: number;
}

export function selfIdentity(): Required<HolderIdentity> {
  return { host: hostname(), pid: process.pid, started: Math.round(performance.timeOrigin) };
}

/**
 * True when the holder is a process of this host that no longer runs, so its lease may be taken over at once.
 * A holder on another host, or one whose pid answers (even as another user's process), is left to expire.
 */
export function holderIsGone(holder: HolderIdentity, self: Required<HolderIdentity> = selfIdentity()): boolean {
  if (holder.host !== self.host || !Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  if (holder.pid === self.pid) return holder.started !== undefined && holder.started !== self.started;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
