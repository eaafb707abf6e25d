import { REFRESH_DAYS_DEFAULT } from '../config/schema.js';
import { errorKind, FetchError } from '../core/errors.js';
import type { RecheckTarget } from '../core/types.js';
import { identityKey } from '../store/index.js';
import type { CrawlContext } from './context.js';
import { articlesInProcess, settleEach } from './in-process.js';
import { storeArticle } from './store-article.js';
import { countError } from './summary.js';

const DAY_MS = 86_400_000;

/** Answers that say the page is gone (rather than failing for now). */
const GONE_STATUSES = new Set([404, 410]);

/**
 * Re-checks stored items: those published in the last `refreshDays` (every one with `--refresh`) and
 * every withdrawn one, each by a conditional GET with the validators of its last fetch. A changed page
 * is stored again (an edit becomes a revision), a 404/410 counts towards withdrawal, and an answer
 * after a withdrawal brings the item back. Links this run already fetched are skipped.
 */
export async function recheckStoredItems(ctx: CrawlContext): Promise<void> {
  const days = ctx.refreshDays ?? REFRESH_DAYS_DEFAULT;
  if (days <= 0 && !ctx.options.refresh) return;
  const since = ctx.options.refresh ? null : new Date(ctx.now().getTime() - days * DAY_MS).toISOString();
  const targets = (await ctx.store.recheckTargets(ctx.source.id, since)).filter((target) => {
    const key = identityKey(target.url);
    if (ctx.attempted.has(key)) return false;
    ctx.attempted.add(key);
    return true;
  });
  const results = await settleEach(targets, articlesInProcess(ctx.source), (target) => recheckItem(ctx, target));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    countError(ctx.summary, errorKind(result.reason));
    ctx.logger.warn({ err: result.reason, url: targets[i]?.url, source: ctx.source.id, kind: errorKind(result.reason) }, 're-check failed');
  });
}

async function recheckItem(ctx: CrawlContext, target: RecheckTarget): Promise<void> {
  if (ctx.options.signal?.aborted) return;
  const { summary } = ctx;
  const validators = await ctx.store.getValidators(target.url);
  let response;
  try {
    response = await ctx.http.get({ url: target.url, validators, signal: ctx.options.signal });
  } catch (err) {
    if (err instanceof FetchError && err.status !== undefined && GONE_STATUSES.has(err.status)) {
      summary.rechecked += 1;
      const outcome = await ctx.store.markGone(target.id, err.status, ctx.now());
      if (outcome === 'withdrawn') {
        summary.withdrawn += 1;
        ctx.logger.info({ url: target.url, id: target.id, status: err.status, source: ctx.source.id }, 'article withdrawn');
      }
      return;
    }
    throw err;
  }
  summary.rechecked += 1;
  summary.articlesFetched += 1;
  if (response.notModified) {
    summary.unchanged += 1;
    if (await ctx.store.markPresent(target.id, ctx.now())) countRestored(ctx, target);
    return;
  }
  const article = await ctx.parser.article(response.text, response.url, { selectors: ctx.source.selectors, now: ctx.now() });
  const outcome = await storeArticle(ctx, target.url, article, null);
  if (target.withdrawn && !outcome.item.withdrawnAt) countRestored(ctx, target);
  await ctx.store.setValidators(target.url, response.validators);
}

function countRestored(ctx: CrawlContext, target: RecheckTarget): void {
  ctx.summary.restored += 1;
  ctx.logger.info({ url: target.url, id: target.id, source: ctx.source.id }, 'withdrawn article is back');
}
