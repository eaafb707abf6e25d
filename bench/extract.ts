/**
 * `npm run bench:extract`: the trafilatura evaluation set (../shared/corpus/trafilatura-eval, 990 pages) in one
 * process, scored like score.py on what `portalfeed inspect FILE --base-url URL` prints (inspectHtml, the same
 * function), side by side with @mozilla/readability over linkedom on the same pages in the same run.
 * Options: --corpus DIR  --only portalfeed|readability  --filter SUBSTRING  --every K (every K-th page by file name, for quick runs)  --worst N  --out FILE (per-page JSON; --texts adds each text)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { inspectHtml } from '../src/commands/inspect.js';
import { decodeBody } from '../src/fetch/decode.js';
import { type PageScore, type Totals, readCorpus, readPageBytes, scorePage, totals } from './lib/corpus.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'trafilatura-eval') },
    only: { type: 'string' },
    filter: { type: 'string' },
    worst: { type: 'string', default: '20' },
    out: { type: 'string' },
    texts: { type: 'boolean', default: false },
    every: { type: 'string', default: '1' },
  },
});

interface Side {
  name: string;
  run(html: string, url: string): { text: string; rule: string };
}

const ours: Side = {
  name: 'portalfeed',
  run(html, url) {
    try {
      const out = inspectHtml(html, url) as { text: string; rules: Record<string, string> };
      return { text: out.text, rule: out.rules.body ?? '' };
    } catch (err) {
      // inspect exits non-zero and prints nothing: score.py reads an empty text.
      return { text: '', rule: `error: ${(err as Error).message.slice(0, 80)}` };
    }
  },
};

const readability: Side = {
  name: 'readability.js',
  run(html) {
    try {
      const { document } = parseHTML(html);
      const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
      return { text: article?.textContent ?? '', rule: article ? 'article' : 'null' };
    } catch (err) {
      return { text: '', rule: `error: ${(err as Error).message.slice(0, 80)}` };
    }
  },
};

interface PageResult extends PageScore {
  file: string;
  url: string;
  ms: number;
  rule: string;
  chars: number;
  text?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};

function main(): void {
  const every = Number(values.every);
  const entries = readCorpus(values.corpus)
    .filter((e) => !values.filter || e.file.includes(values.filter) || e.url.includes(values.filter))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .filter((_e, i) => i % every === 0);
  const sides = [ours, readability].filter((s) => !values.only || s.name.startsWith(values.only));
  const pages = entries.map((e) => ({ entry: e, html: decodeBody(readPageBytes(values.corpus, e.file)).text }));
  const results = new Map<string, PageResult[]>(sides.map((s) => [s.name, []]));
  // Warm-up on a few pages, then the pages interleaved side by side so machine drift falls on both alike.
  for (const { entry, html } of pages.slice(0, 10)) for (const side of sides) side.run(html, entry.url);
  let done = 0;
  for (const { entry, html } of pages) {
    for (const side of sides) {
      const started = performance.now();
      const { text, rule } = side.run(html, entry.url);
      const ms = performance.now() - started;
      results
        .get(side.name)!
        .push({ ...scorePage(entry, text), file: entry.file, url: entry.url, ms, rule, chars: text.length, ...(values.texts ? { text } : {}) });
    }
    if (++done % 100 === 0) process.stderr.write(`bench:extract: ${done}/${pages.length}\n`);
  }

  const summary: Array<Totals & { side: string; msMean: number; msMedian: number }> = [];
  for (const side of sides) {
    const rows = results.get(side.name)!;
    const ms = rows.map((r) => r.ms);
    summary.push({ side: side.name, ...totals(rows), msMean: ms.reduce((a, b) => a + b, 0) / ms.length, msMedian: median(ms) });
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\ntrafilatura eval, ${pages.length} pages, one process (Node ${process.version})\n`);
  console.log(line(['extractor', 'F', 'precision', 'recall', 'accuracy', 'empty', 'ms/page mean', 'ms/page median']));
  console.log(line(Array(8).fill('---')));
  for (const s of summary) {
    console.log(
      line([
        s.side,
        s.f.toFixed(3),
        s.precision.toFixed(3),
        s.recall.toFixed(3),
        s.accuracy.toFixed(3),
        String(s.empty),
        s.msMean.toFixed(2),
        s.msMedian.toFixed(2),
      ]),
    );
  }
  const [a, b] = summary;
  if (a && b) console.log(`\nmedian time per page: ${a.side} ${(a.msMedian / b.msMedian).toFixed(2)}× ${b.side}`);

  const mine = results.get(sides[0]!.name)!;
  const worst = [...mine].sort((x, y) => y.fn + y.fp - (x.fn + x.fp) || x.file.localeCompare(y.file)).slice(0, Number(values.worst));
  console.log(`\n${worst.length} worst pages for ${sides[0]!.name} (missed with-snippets + found without-snippets):\n`);
  console.log(line(['file', 'missed', 'unwanted', 'chars', 'body rule']));
  console.log(line(Array(5).fill('---')));
  for (const w of worst) console.log(line([w.file, `${w.fn}/${w.fn + w.tp}`, `${w.fp}/${w.fp + w.tn}`, String(w.chars), w.rule]));
  if (values.out) writeFileSync(values.out, JSON.stringify({ summary, pages: Object.fromEntries(results) }, null, 1));
}

main();
