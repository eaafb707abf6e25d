#!/usr/bin/env node
import { main } from './commands/program.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
