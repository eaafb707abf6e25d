import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startHarness, type Harness } from '../helpers/app.js';

/** Routes the documentation promises, served by the real server with the bundled taxonomy. */
describe('documented routes exist', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('embedded');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('every feed URL config/categories.yaml names answers for every category slug', async () => {
    const text = readFileSync(join(ROOT, 'config/categories.yaml'), 'utf8');
    const comments = text
      .split('\n')
      .filter((line) => line.trimStart().startsWith('#'))
      .join('\n');
    const templates = [...new Set(comments.match(/\/[a-z]+\/<slug>[^\s),]*/g) ?? [])];
    expect(templates.length).toBeGreaterThan(0);
    const taxonomy = parseYaml(text) as { categories: Array<{ slug: string }> };
    for (const { slug } of taxonomy.categories) {
      for (const template of templates) {
        const response = await fetch(`${h.url}${template.replace('<slug>', slug)}`);
        expect(response.status, `${template} for ${slug}`).toBe(200);
        await response.arrayBuffer();
      }
    }
  });
});
