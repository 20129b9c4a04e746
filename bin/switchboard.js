#!/usr/bin/env node
// The `switchboard` operator CLI: the built JavaScript when present (`npm run build`), else the TypeScript
// sources through the same on-the-fly compiler as `npm run cli`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (existsSync(built)) {
  require(built);
} else {
  require('@swc-node/register');
  require(join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
