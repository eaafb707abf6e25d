import { readFileSync } from 'node:fs';

/** The project's copy of the canonical seed article (as a reader copied it from the portal). */
export const SEED_FILE = new URL('../fixtures/seed/quangtri-2024-01-19-tong-ket-xay-dung-dang.txt', import.meta.url);

export function seedText(): string {
  return readFileSync(SEED_FILE, 'utf8');
}
