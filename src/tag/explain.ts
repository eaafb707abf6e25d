import type { Explanation } from './tagger.js';

function fixed(value: number): string {
  return value.toFixed(2).replace(/\.?0+$/, '');
}

/** Human-readable account of a tagging decision, for `portalfeed tag --explain`. */
export function formatExplanation(e: Explanation): string {
  const lines: string[] = [];
  const categories = e.result.categories.join(', ');
  lines.push(`categories: ${categories}${e.fellBack ? ` (nothing reached the threshold; general category "${e.general.name}")` : ''}`);
  lines.push(`places: ${e.result.places.length ? e.result.places.join(', ') : '-'}`);
  lines.push(
    `rule: score >= ${fixed(e.threshold)} and >= ${Math.round(e.relative * 100)}% of the best (${fixed(e.best)}), unless a category sets its own; a second category also needs a hit outside the body`,
  );
  const scored = e.categories.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  for (const category of scored) {
    const why = category.assigned ? '' : category.score >= category.needed ? ', only in the body' : `, needs ${fixed(category.needed)}`;
    lines.push(`${category.assigned ? '+' : '-'} ${category.slug} (${category.name}): ${fixed(category.score)}${why}`);
    for (const m of category.matches) {
      const term = m.field === 'section' ? `section "${m.term}"` : `${m.field.padEnd(5)} "${m.term}"`;
      lines.push(`    ${term} x${m.count} weight ${fixed(m.weight)} -> ${fixed(m.points)}`);
    }
  }
  const unscored = e.categories.filter((c) => c.score === 0).map((c) => c.slug);
  if (unscored.length) lines.push(`  no match: ${unscored.join(', ')}`);
  for (const place of e.places.filter((p) => p.matches.length > 0)) {
    const hits = place.matches.map((m) => `${m.field} "${m.term}" x${m.count}`).join(', ');
    lines.push(`${place.assigned ? '+' : '-'} place ${place.slug} (${place.name}): ${hits}`);
  }
  return lines.join('\n');
}
