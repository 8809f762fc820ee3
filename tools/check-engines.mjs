// Fails when any installed package declares an engines.node range that excludes the oldest
// Node.js this project supports (package.json "engines"), so a newer dependency cannot slip in
// that breaks CI machines on Node 20.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const semver = require('semver');
const root = new URL('..', import.meta.url).pathname;
const floor = semver.minVersion(
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node,
).version;

function* packageDirs(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.name.startsWith('@')) yield* packageDirs(full);
    else {
      yield full;
      yield* packageDirs(join(full, 'node_modules'));
    }
  }
}

const offenders = [];
for (const dir of packageDirs(join(root, 'node_modules'))) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { name, version, engines } = JSON.parse(readFileSync(manifest, 'utf8'));
  const range = engines?.node;
  if (range && semver.validRange(range) && !semver.satisfies(floor, range)) {
    offenders.push(`${name}@${version} requires node ${range}`);
  }
}
if (offenders.length > 0) {
  console.error(`These packages do not support Node ${floor}:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log(`every installed package supports Node ${floor}`);
