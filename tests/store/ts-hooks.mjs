// Node module hooks that let a plain `node` child process run the project's TypeScript sources
// (Node 20 cannot strip types, tsx is not installed): .ts files are transpiled with rolldown's
// oxc transformer (already installed with vite), and `./x.js` imports resolve to `./x.ts`.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/utils';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts') && (specifier.startsWith('.') || specifier.startsWith('/'))) {
    const tsUrl = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const result = transformSync(filename, await readFile(filename, 'utf8'), { lang: 'ts', sourcemap: false });
  if (result.errors?.length) throw new Error(`cannot transpile ${filename}: ${result.errors.map((e) => e.message).join('; ')}`);
  return { format: 'module', source: result.code, shortCircuit: true };
}
