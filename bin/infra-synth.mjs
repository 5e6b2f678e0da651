#!/usr/bin/env node
// The published command. The TypeScript sources are bundled into build/ by `npm run build`
// (run by `npm ci`/`npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../build/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('infra-synth: build/cli.mjs is missing; run `npm run build` first\n');
  process.exit(2);
}
await import(cli);
