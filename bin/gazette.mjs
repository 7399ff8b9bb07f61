#!/usr/bin/env node
// Package entry for the `gazette` command: runs the bundled CLI (dist/node/cli.mjs).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/node/cli.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('gazette: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
