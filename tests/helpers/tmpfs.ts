import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs of its own (a real full disk for the store), mounted at a unique path. Needs root. */
export interface Tmpfs {
  dir: string;
  /** Writes a filler file until the file system answers ENOSPC, or until only `leaveKb` are left. */
  fill(leaveKb?: number): void;
  /** Removes the filler. */
  free(): void;
  /** Remounts read-only (`ro: true`) or read-write. */
  remount(ro: boolean): void;
  unmount(): void;
}

const FILLER = '.filler';

export function mountTmpfs(sizeKb: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'pf-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'pf-test-tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    throw err;
  }
  return {
    dir,
    fill(leaveKb = 0) {
      const fd = openSync(join(dir, FILLER), 'a');
      const chunk = Buffer.alloc(16 * 1024, 0x78);
      const left = () => {
        const st = statfsSync(dir);
        return (st.bavail * st.bsize) / 1024;
      };
      try {
        while (left() - chunk.length / 1024 >= leaveKb) writeSync(fd, chunk);
        if (leaveKb > 0) return;
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last partial block: fill to the byte.
        try {
          for (;;) writeSync(fd, chunk, 0, 1);
        } catch {
          /* full */
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(join(dir, FILLER), { force: true });
    },
    remount(ro) {
      execFileSync('mount', ['-o', `remount,${ro ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' });
    },
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
      rmdirSync(dir);
    },
  };
}

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN); probed once by mounting one. */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    mountTmpfs(64).unmount();
    return true;
  } catch {
    return false;
  }
}
