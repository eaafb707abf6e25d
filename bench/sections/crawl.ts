import type { BenchContext } from '../lib/context.js';
import type { Row } from '../lib/report.js';
export async function runCrawl(_ctx: BenchContext): Promise<Row[]> { return []; }
