// The node agent's heap: everything main.ts loads must stay clear of libs/api's validating
// classes (class-validator, class-transformer and the decorated kinds behind
// `@coxswain/api`), which cost the agent ~8 MB of heap at rest. Loads main.ts's imports in
// a fresh process (as the compiled agent does, minus main() itself) and reads require.cache.
// The CSR/X.509 stack (`@coxswain/api/certificates`, @peculiar) waits until a certificate is
// requested. The gRPC server is @coxswain/proto/server's, without grpc-js and proto-loader
// (~3 MB of RSS) and without protobufjs and long (~3.5 MB).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(__dirname, 'main.ts');

/** The runtime (non-`import type`) specifiers of main.ts. */
function mainImports(): string[] {
  const source = readFileSync(MAIN, 'utf8');
  return [...source.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)].map((m) => m[1]);
}

describe('node agent imports', () => {
  it('finds main.ts imports to load', () => {
    const imports = mainImports();
    expect(imports).toEqual(expect.arrayContaining(['@coxswain/client', '@coxswain/runtime', './agent/node-agent', './certificates/rotation']));
  });

  it('loads neither class-validator, the full @coxswain/api entry, the CSR library, grpc-js, protobufjs nor undici', async () => {
    const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    const requires = mainImports().map((spec) => (spec.startsWith('.') ? join(__dirname, spec) : compilerOptions.paths[spec] ? join(ROOT, compilerOptions.paths[spec][0]) : spec));
    const script = `
      for (const spec of ${JSON.stringify(requires)}) require(spec);
      const files = Object.keys(require.cache).map((f) => require('node:path').relative(${JSON.stringify(ROOT)}, f));
      process.stdout.write(JSON.stringify(files));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, maxBuffer: 64 << 20 });
    const files = JSON.parse(stdout) as string[];
    // The load really happened: the agent's own modules and libs/api's decorator-free entry.
    expect(files).toEqual(expect.arrayContaining(['apps/node-agent/src/agent/node-agent.ts', 'apps/node-agent/src/certificates/rotation.ts', 'libs/api/src/browser.ts']));
    expect(files.filter((f) => f === 'libs/api/src/node-certificates.ts' || /node_modules\/@peculiar\//.test(f))).toEqual([]);
    expect(files.filter((f) => /node_modules\/(class-validator|class-transformer)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f === 'libs/api/src/index.ts' || f.startsWith('libs/api/src/validation/decorators'))).toEqual([]);
    expect(files.filter((f) => /node_modules\/(@grpc|protobufjs|@protobufjs|long)\//.test(f))).toEqual([]);
    // The API and registry clients run on node:http: undici's WASM parser and fetch were ~5 MB of RSS.
    expect(files.filter((f) => /node_modules\/undici\//.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['libs/runtime/src/images/registry-http.ts']));
  }, 120_000);
});
