import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portalfeed-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Enough commits for the WAL checkpoint worker to start: its thread must not keep a process alive, nor let one that
// awaits it exit early (an unref'd worker awaited alone leaves an empty event loop: exit code 13, the store unclosed).
// The threaded store's worker likewise: ref'd while closing, so the awaited close ends the thread before the process.
describe('a process that writes past the checkpoint interval', () => {
  it.each(['embedded', 'threaded'])(
    'closes the %s store and exits on its own with code 0',
    async (kind) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'tests/store/crash-writer.ts', kind, join(dir, kind), '', '', '0', '60'],
        { cwd: ROOT, timeout: 60_000 },
      );
      expect(stdout.split('\n').filter((l) => l.startsWith('ack ')).length).toBe(80);
      expect(stdout).toMatch(/^closed$/m);
    },
    90_000,
  );
});
