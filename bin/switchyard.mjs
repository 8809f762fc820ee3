#!/usr/bin/env node
// Runs the CLI compiled by tools/build.mjs into dist/ (`npm ci` and `npm start` build it).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/services/cli/main.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('switchyard: dist/ is missing: run `npm run build` (npm ci runs it too)');
  process.exit(1);
}
await import(cli.href);
