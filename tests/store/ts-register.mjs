// Usage: node --import ./tests/store/ts-register.mjs child.ts
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
