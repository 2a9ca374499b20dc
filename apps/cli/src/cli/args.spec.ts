import { parseCommandLine } from './args';
import { ROOT } from './commands';
import { GLOBAL_FLAGS } from './flags';

const parse = (line: string[]) => {
  const r = parseCommandLine(ROOT, GLOBAL_FLAGS, line);
  return { path: r.path.slice(1).map((c) => c.name), args: r.parsed.args, dash: r.parsed.dashArgs, flags: r.parsed.flags, given: [...r.parsed.given].sort(), help: r.help };
};

describe('parseCommandLine (pflag rules)', () => {
  it.each([
    ['flags after the command', ['get', 'pods', '-n', 'kube-system', '-o', 'wide'], { path: ['get'], args: ['pods'], flags: { namespace: 'kube-system', output: 'wide' } }],
    ['global flag before the command', ['-n', 'team-a', 'get', 'pods'], { path: ['get'], args: ['pods'], flags: { namespace: 'team-a' } }],
    ['command flag before the command word', ['--context=prod', 'get', 'deploy', 'web'], { path: ['get'], args: ['deploy', 'web'], flags: { context: 'prod' } }],
    ['short value glued', ['get', 'pods', '-oyaml'], { flags: { output: 'yaml' } }],
    ['short value with =', ['get', 'pods', '-o=json'], { flags: { output: 'json' } }],
    ['long value with =', ['get', 'pods', '--output=jsonpath={.items[*].metadata.name}'], { flags: { output: 'jsonpath={.items[*].metadata.name}' } }],
    ['combined booleans', ['exec', '-it', 'web-0', '--', 'sh', '-c', 'echo hi'], { path: ['exec'], args: ['web-0'], dash: ['sh', '-c', 'echo hi'], flags: { stdin: true, tty: true } }],
    ['booleans then a value in one cluster', ['get', 'pods', '-Aw'], { flags: { 'all-namespaces': true, watch: true } }],
    ['bool with explicit false', ['delete', 'pod', 'x', '--wait=false'], { flags: { wait: false } }],
    ['repeated string slice and commas', ['apply', '-f', 'a.yaml', '-f', 'b.yaml,c.yaml'], { flags: { filename: ['a.yaml', 'b.yaml', 'c.yaml'] } }],
    ['stdin as a file', ['apply', '-f', '-'], { flags: { filename: ['-'] } }],
    ['int flag', ['scale', 'deploy/web', '--replicas', '3'], { path: ['scale'], args: ['deploy/web'], flags: { replicas: 3 } }],
    ['nested command', ['rollout', 'status', 'deploy/web', '--timeout=1m'], { path: ['rollout', 'status'], args: ['deploy/web'], flags: { timeout: '1m' } }],
    ['command alias', ['top', 'nodes'], { path: ['top', 'node'] }],
    ['optional value uses its default when bare', ['delete', 'deploy', 'web', '--cascade'], { flags: { cascade: 'background' } }],
    ['optional value given', ['delete', 'deploy', 'web', '--cascade=orphan'], { flags: { cascade: 'orphan' } }],
    ['help anywhere', ['get', 'pods', '--help'], { help: true }],
    ['defaults without flags', ['get', 'pods'], { flags: { watch: false, 'chunk-size': 500, filename: [] } }],
  ])('%s', (_name, line, want) => {
    expect(parse(line)).toMatchObject(want);
  });

  it('records which flags were typed', () => {
    expect(parse(['config', 'set-context', '--current', '--namespace=x']).given).toEqual(['current', 'namespace']);
  });

  it.each([
    ['unknown long flag', ['get', 'pods', '--nope'], 'unknown flag: --nope'],
    ['unknown short flag', ['get', 'pods', '-z'], "unknown shorthand flag: 'z' in -z"],
    ['missing value', ['get', 'pods', '-o'], "flag needs an argument: 'o' in -o"],
    ['bad int', ['scale', 'x', '--replicas=three'], 'invalid argument "three" for "--replicas" flag: not an integer'],
    ['value not allowed', ['delete', 'x', '--cascade=sometimes'], 'invalid argument "sometimes" for "--cascade" flag: must be one of background, foreground, orphan, true, false'],
  ])('rejects %s', (_name, line, message) => {
    expect(() => parse(line)).toThrow(message);
  });
});
