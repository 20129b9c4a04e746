#!/usr/bin/env node
// npm 11 leaves other platforms' optional binaries (@swc/core-*, @biomejs/cli-*) out of package-lock.json,
// and the registry mirror these machines use does not serve them, yet `npm ci` refuses a lock that does not
// list them. This lists each missing one with its os/cpu/libc, so `npm ci` skips it without fetching it.
// Idempotent: a complete lock file is left as it is. Run after `npm install` changes the lock file.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
const PLATFORM =
  /(android|darwin|linux|win32|freebsd)-(arm64|x64|ia32|arm|ppc64|s390x|riscv64)(?:-(musl|gnu|gnueabihf|msvc))?$/;
let added = 0;

for (const meta of Object.values({ ...packages })) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const match = PLATFORM.exec(name);
    if (!match) throw new Error(`${name}: missing from the lock file and not a platform binary`);
    const [, os, cpu, abi] = match;
    const entry = { version };
    if (meta.dev) entry.dev = true;
    Object.assign(entry, { optional: true, cpu: [cpu], os: [os] });
    if (abi === 'musl') entry.libc = ['musl'];
    else if (abi === 'gnu' || abi === 'gnueabihf') entry.libc = ['glibc'];
    packages[key] = entry;
    added++;
  }
}

if (added > 0) {
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  lock.packages = sorted;
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`lock-other-platforms: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
