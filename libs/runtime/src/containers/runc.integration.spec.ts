// Runc over the runtime's real spawners with a fake runc: a node with hundreds of containers
// makes `runc list --format json` print hundreds of kilobytes, which must be read whole.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSpawner } from '../proc/direct-spawner';
import { HelperSpawner } from '../proc/spawn-helper';
import { Spawner } from '../proc/spawner';
import { Runc } from './runc';

jest.setTimeout(60_000);

// About 700 bytes a container, as runc prints them (paths, creation time, annotations).
const CONTAINERS = 2000;
const FAKE_RUNC = `#!/bin/sh
[ "$3" = list ] || { echo "unexpected: $*" >&2; exit 1; }
awk -v n=${CONTAINERS} 'BEGIN {
  pad = sprintf("%0400d", 0)
  printf "["
  for (i = 0; i < n; i++) {
    if (i) printf ","
    printf "{\\"ociVersion\\":\\"1.0.2-dev\\",\\"id\\":\\"pod-%05d-sleep-0\\",\\"pid\\":%d,\\"status\\":\\"running\\",", i, 1000 + i
    printf "\\"bundle\\":\\"/var/lib/coxswain/containers/pod-%05d-sleep-0/bundle\\",\\"rootfs\\":\\"/var/lib/coxswain/rootfs/pod-%05d\\",", i, i
    printf "\\"created\\":\\"2026-12-06T01:00:00.000000000Z\\",\\"annotations\\":{\\"pad\\":\\"%s\\"},\\"owner\\":\\"root\\"}", pad
  }
  print "]"
}'
`;

let dir: string;
let fake: string;
let helper: HelperSpawner;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-runc-list-'));
  fake = join(dir, 'runc');
  await writeFile(fake, FAKE_RUNC);
  await chmod(fake, 0o755);
  helper = new HelperSpawner({ binDir: join(dir, 'bin') });
  expect(await helper.mode()).toBe('helper');
}, 120_000);

afterAll(async () => {
  helper?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['coxspawn', () => helper as Spawner],
  ['child_process', () => new DirectSpawner() as Spawner],
])('Runc.list over %s', (_name, make) => {
  it('reads a list of more than a megabyte whole', async () => {
    const runc = new Runc(fake, join(dir, 'root'), make());
    const raw = await make().run(fake, ['--root', join(dir, 'root'), 'list', '--format', 'json']);
    expect(raw.stdout.length).toBeGreaterThan(1 << 20);
    const listed = await runc.list();
    expect(listed).toHaveLength(CONTAINERS);
    expect(listed[CONTAINERS - 1]).toEqual({ id: `pod-${String(CONTAINERS - 1).padStart(5, '0')}-sleep-0`, pid: 1000 + CONTAINERS - 1, status: 'running' });
  });

  it('reads it whole while other lists run and the loop is busy', async () => {
    const runc = new Runc(fake, join(dir, 'root'), make());
    const lists = Array.from({ length: 6 }, () => runc.list());
    for (const end = Date.now() + 1000; Date.now() < end;) {
      // busy: the output piles up in the pipes meanwhile
    }
    expect((await Promise.all(lists)).map((l) => l.length)).toEqual(Array(6).fill(CONTAINERS));
  });
});

describe('Runc.list while containers are removed', () => {
  // runc 1.1 stats every entry of its root after reading it, and fails on one removed meanwhile.
  const racing = (failures: number) => `#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); echo $((n + 1)) > "$0.count"
if [ "$n" -lt ${failures} ]; then
  echo 'time="2026-12-06T02:00:48Z" level=error msg="stat /run/cox/runc/pod-1-sleep-0: no such file or directory"' >&2
  exit 1
fi
echo '[{"ociVersion":"1.0.2-dev","id":"pod-2-sleep-0","pid":42,"status":"running"}]'
`;

  it.each([
    ['looks again when an entry vanished under runc', 2, { list: [{ id: 'pod-2-sleep-0', pid: 42, status: 'running' }], calls: 3 }],
    ['gives up after five such failures', 9, { error: /runc list: .*no such file or directory/, calls: 5 }],
  ])('%s', async (_case, failures, want) => {
    const file = join(dir, `racing-runc-${failures}`);
    await writeFile(file, racing(failures));
    await chmod(file, 0o755);
    const runc = new Runc(file, join(dir, 'root'), helper);
    const got = await runc.list().then((list) => ({ list }), (error: Error) => ({ error: error.message }));
    const calls = Number(await readFile(`${file}.count`, 'utf8'));
    expect({ ...got, calls }).toEqual('error' in want ? { error: expect.stringMatching(want.error), calls: want.calls } : want);
  });

  it('does not look again on other failures', async () => {
    const file = join(dir, 'broken-runc');
    await writeFile(file, `#!/bin/sh\necho x >> "$0.count"\necho 'open /run/cox/runc: permission denied' >&2\nexit 1\n`);
    await chmod(file, 0o755);
    await expect(new Runc(file, join(dir, 'root'), helper).list()).rejects.toThrow(/permission denied/);
    expect((await readFile(`${file}.count`, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
  });
});
