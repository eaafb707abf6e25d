import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Logger } from '../core/log.js';
import type { FeedPublisher, PageName } from '../publish/publisher.js';

const PAGES: Array<[PageName, string]> = [
  ['index', 'index.html'],
  ['opml', 'opml.xml'],
  ['xsl', 'feed.xsl'],
];

async function writeAtomically(root: string, relative: string, body: Buffer): Promise<string> {
  const target = resolve(root, relative);
  if (!target.startsWith(resolve(root) + sep)) throw new Error(`refusing to write outside ${root}: ${relative}`);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  await writeFile(temp, body);
  await rename(temp, target);
  return target;
}

/**
 * Writes every feed (feed.xml, atom.xml, feed.json, category/{slug}/…, source/{id}/…) plus
 * opml.xml, feed.xsl and index.html under outDir, as the server would serve them. Returns the paths written.
 */
export async function exportFeeds(publisher: FeedPublisher, outDir: string, options: { logger?: Logger } = {}): Promise<string[]> {
  await publisher.refresh();
  const written: string[] = [];
  for (const route of publisher.routes()) {
    const rep = await publisher.get(route.kind, route.key, route.format);
    if (!rep) continue;
    written.push(await writeAtomically(outDir, join('.', route.path), rep.body));
  }
  for (const [name, file] of PAGES) {
    written.push(await writeAtomically(outDir, file, (await publisher.getPage(name)).body));
  }
  options.logger?.info({ outDir, files: written.length }, 'feeds exported');
  return written;
}
