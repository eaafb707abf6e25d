import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord, readRecords, type LogRecord } from '../../src/store/log-file.js';

describe('readRecords', () => {
  it.each([7, 64, 1000, 1 << 20])('reads every record whatever the slice size (%i bytes), and names torn lines', (slice) => {
    const records: LogRecord[] = Array.from({ length: 40 }, (_, i) => ({
      t: 'val',
      url: `https://www.quangtri.gov.vn/tin-tuc/bài-${i}`,
      v: { etag: `"${'x'.repeat(i)}"`, lastModified: null },
    }));
    const file = join(mkdtempSync(join(tmpdir(), 'pf-log-')), 'items.log');
    const lines = records.map(encodeRecord);
    lines[17] = `${lines[17]!.slice(0, 20)}\n`;
    writeFileSync(file, `${lines.join('')}${encodeRecord(records[0]!).slice(0, 30)}`);
    const seen: LogRecord[] = [];
    const result = readRecords(file, (r) => seen.push(r), slice);
    expect(seen).toEqual(records.filter((_, i) => i !== 17));
    expect(result).toEqual({ bad: [18, 41], count: 39 });
  });
});
