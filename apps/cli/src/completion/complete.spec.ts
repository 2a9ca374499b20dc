import { ROOT } from '../cli/commands';
import { GLOBAL_FLAGS } from '../cli/flags';
import { complete, CompletionSources, FILES } from './complete';

const sources: CompletionSources = {
  resourceTypes: () => ['deployments', 'pods', 'virtualmachines'],
  names: async (type) => ({ pods: ['web-0', 'web-1'], po: ['web-0', 'web-1'], deploy: ['web'], nodes: ['node-1'], virtualmachines: ['db'] })[type] ?? [],
  namespaces: async () => ['default', 'team-a'],
  contexts: () => ['dev', 'prod'],
  clusters: () => ['c1'],
  users: () => ['u1'],
  containers: async () => ['app', 'sidecar'],
};

const run = async (line: string) => (await complete(ROOT, GLOBAL_FLAGS, line.split(' '), sources)).candidates;

describe('complete', () => {
  it.each([
    ['commands', '', expect.arrayContaining(['get', 'apply', 'vm', 'console', 'why'])],
    ['resource types', 'get ', ['deployments', 'pods', 'virtualmachines']],
    ['object names of the type', 'get pods ', ['web-0', 'web-1']],
    ['type/name form', 'describe deploy/', ['deploy/web']],
    ['subcommands', 'rollout ', ['status', 'history', 'undo', 'restart', 'pause', 'resume']],
    ['a flag value from its fixed set', 'delete pods x --cascade=', ['--cascade=background', '--cascade=foreground', '--cascade=orphan', '--cascade=true', '--cascade=false']],
    ['a flag value after =', 'get pods --output=', ['--output=json', '--output=yaml', '--output=name', '--output=wide', '--output=jsonpath=', '--output=custom-columns=']],
    ['namespaces for -n', 'get pods -n ', ['default', 'team-a']],
    ['contexts', 'config use-context ', ['dev', 'prod']],
    ['files for -f', 'apply -f ', [FILES]],
    ['nodes for drain', 'drain ', ['node-1']],
    ['VMs for vm start', 'vm start ', ['db']],
    ['containers of the pod for exec -c', 'exec web-0 -c ', ['app', 'sidecar']],
    ['nothing after --', 'exec web-0 -- ', []],
  ])('%s', async (_name, line, want) => {
    expect(await run(line)).toEqual(want);
  });

  it('offers flags with = for those taking values', async () => {
    const flags = await run('get pods --');
    expect(flags).toEqual(expect.arrayContaining(['--output=', '--watch', '--namespace=', '--show-labels']));
    expect(flags).not.toContain('--v=');
  });
});
