// coxctl bootstrap (run by ./coxctl under Node 24). Uses the JS that scripts/build.js keeps in
// dist/ when it is at least as new as every source it came from — start-up without an
// in-process TypeScript compiler — and otherwise runs the sources through @swc-node/register.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const SOURCES = ['apps/cli/src', 'libs/api/src', 'libs/client/src'];

function distIsFresh() {
  if (process.env.COXCTL_FROM_SOURCE) return false;
  const stack = SOURCES.map((dir) => path.join(root, dir));
  while (stack.length) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testdata') stack.push(file);
        continue;
      }
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts') || entry.name.endsWith('.d.ts')) continue;
      const built = path.join(root, 'dist', path.relative(root, file)).replace(/\.ts$/, '.js');
      try {
        if (fs.statSync(built).mtimeMs < fs.statSync(file).mtimeMs) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

if (distIsFresh()) {
  require(path.join(root, 'dist/apps/cli/src/main.js'));
} else {
  process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.json');
  require(path.join(root, 'node_modules/@swc-node/register'));
  require(path.join(root, 'apps/cli/src/main.ts'));
}
