import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeError, PortalfeedError } from '../core/errors.js';

/** The demo portal shipped with the package (src/commands and dist/commands sit two folders below its root). */
export const DEMO_SITE = fileURLToPath(new URL('../../examples/portal', import.meta.url));

/** Exit codes: 0 ok, 1 a source failed entirely (or a runtime error), 2 bad config or usage (or `discover` found nothing). */
export const EXIT = { ok: 0, failed: 1, usage: 2, nothingFound: 2 } as const;

function positiveInt(name: string) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return Number(raw);
  };
}

function port(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new InvalidArgumentError('port must be 0–65535');
  return Number(raw);
}

const configOption = () => new Option('-c, --config <file>', 'config file (default: $PORTALFEED_CONFIG or config/default.yaml)');

/** Each command loads its own modules when it runs: `serve` never pays for the parsing stack at start. */
export function buildProgram(): Command {
  const program = new Command('portalfeed')
    .description('Turns government news portals into clean RSS, Atom and JSON feeds')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('HTTP server plus the crawl scheduler; crawls once at start')
    .addOption(configOption())
    .option('-p, --port <n>', 'port to listen on (overrides config and PORT)', port)
    .option('--no-initial-crawl', 'do not crawl at start; wait for the schedule')
    .action(async (opts) => (await import('./serve.js')).runServe(opts));

  program
    .command('crawl')
    .description('crawl now and print one summary line per source')
    .addOption(configOption())
    .option('-s, --source <id>', 'crawl only this source')
    .option('--refresh', 'refetch articles already stored, to pick up corrections')
    .option('--backfill <pages>', 'walk this many listing pages deep per section', positiveInt('--backfill'))
    .option('--rediscover', 'discover the sections, sitemap and feeds of sources given only baseUrl again now')
    .action(async (opts) => (await import('./crawl.js')).runCrawl(opts));

  program
    .command('inspect')
    .description('fetch and extract one article; print its fields, and the rule behind each, as JSON')
    .argument('<url>', 'article URL (or a saved HTML file)')
    .addOption(configOption())
    .option('--base-url <url>', 'with a file: the URL the page was saved from')
    .action(async (url, opts) => (await import('./inspect.js')).runInspect(url, opts));

  program
    .command('discover')
    .description('find the news sections, link pattern, sitemap and feeds of a portal; print a source block and a preview')
    .argument('<url>', "the portal's address, e.g. https://www.quangtri.gov.vn")
    .option('-n, --limit <n>', 'preview this many items', positiveInt('--limit'), 10)
    .addOption(configOption())
    .action(async (url, opts) => (await import('./discover.js')).runDiscover(url, opts));

  program
    .command('tag')
    .description('show the categories of an article, and why')
    .argument('<target>', 'article URL or saved HTML file')
    .option('--explain', 'print the score per category and the terms that matched')
    .addOption(configOption())
    .option('--base-url <url>', 'with a file: the URL the page was saved from')
    .action(async (target, opts) => (await import('./tag.js')).runTag(target, opts));

  program
    .command('history')
    .description("print an item's revisions (word diffs of title and text) and withdrawals, oldest first")
    .argument('<target>', 'article URL or item id')
    .addOption(configOption())
    .option('--json', 'print the item and its changes as JSON')
    .action(async (target, opts) => (await import('./history.js')).runHistory(target, opts));

  program
    .command('export')
    .description('write every feed as static files, for any web server or CDN')
    .requiredOption('-o, --out <dir>', 'output folder')
    .addOption(configOption())
    .action(async (opts) => (await import('./export.js')).runExport(opts));

  program
    .command('replay')
    .description('serve a saved portal (a folder with site.json) on 127.0.0.1, for demos and tests')
    .option('--site <dir>', 'site folder (default: the demo portal in the package, examples/portal)', DEMO_SITE)
    .option('-p, --port <n>', 'port', port, 8090)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts) => (await import('./replay.js')).runReplay(opts));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const debug = (process.env.LOG_LEVEL ?? '').toLowerCase() === 'debug';
    process.stderr.write(`portalfeed: ${describeError(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    if (err instanceof PortalfeedError && (err.code === 'CONFIG_INVALID' || err.code === 'USAGE')) return EXIT.usage;
    return EXIT.failed;
  }
}
