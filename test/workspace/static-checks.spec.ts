import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';

// The whole workspace must typecheck and lint cleanly, and the module boundaries between
// projects must hold; these run as tests so CI's count reflects them.
const root = join(__dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

beforeAll(() => {
  // The Nx lint rule reads the cached project graph; compute it first.
  execFileSync(bin('nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } });
}, 120_000);

describe('module boundaries', () => {
  // Jest cannot run ESLint's dynamic config import, so the config is handed over directly.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(join(root, 'eslint.config.js'));
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
  const probe = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  };

  it.each([
    ['the dashboard importing libs/runtime', 'apps/dashboard/src/probe.ts', '@coxswain/runtime', /scope:web/],
    ['the CLI importing libs/runtime', 'apps/cli/src/probe.ts', '@coxswain/runtime', /scope:cli/],
    ['the apiserver importing libs/runtime', 'apps/apiserver/src/probe.ts', '@coxswain/runtime', /scope:control-plane/],
    ['a shared lib importing libs/runtime', 'libs/proto/src/probe.ts', '@coxswain/runtime', /scope:shared/],
  ])('rejects %s', async (_name, file, target, reason) => {
    const messages = await probe(file, `import * as x from '${target}';\nexport const y = x;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(reason);
  });

  it.each([
    ['the node agent importing libs/runtime', 'apps/node-agent/src/probe.ts', '@coxswain/runtime'],
    ['the dashboard importing libs/api', 'apps/dashboard/src/probe.ts', '@coxswain/api'],
    ['the scheduler importing libs/client', 'apps/scheduler/src/probe.ts', '@coxswain/client'],
  ])('allows %s', async (_name, file, target) => {
    expect(await probe(file, `import * as x from '${target}';\nexport const y = x;\n`)).toEqual([]);
  });
});

describe('static checks', () => {
  it('typechecks the whole workspace with tsc --strict', () => {
    const run = () => execFileSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    expect(run).not.toThrow();
  }, 300_000);
});
