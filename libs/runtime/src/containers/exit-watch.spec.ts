import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitWatch, WatchDir } from './exit-watch';

/** A watchDir whose events and failures the test drives. */
function fakeWatch(failFor: string[] = []) {
  const open = new Map<string, { emit: (f: string | null) => void; w: EventEmitter }>();
  const watchDir: WatchDir = (dir, onEvent) => {
    if (failFor.includes(dir)) throw Object.assign(new Error('ENOSPC: inotify watch limit'), { code: 'ENOSPC' });
    const w = Object.assign(new EventEmitter(), { close: () => void open.delete(dir) });
    open.set(dir, { emit: onEvent, w });
    return w;
  };
  return { watchDir, open };
}

describe('ExitWatch', () => {
  it.each([
    { name: 'the exit record', filename: 'exit.json', heard: ['a'] },
    // Not yet: a relist now would not find the record (the shim renames it into place).
    { name: 'its temporary file before the rename', filename: 'exit.json.tmp', heard: [] },
    { name: 'an event with no file name (overflow)', filename: null, heard: ['a'] },
    { name: 'runc writing its log', filename: 'runc.log', heard: [] },
    { name: 'the shim writing its pid', filename: 'shim.pid', heard: [] },
  ])('an event for $name → heard $heard', ({ filename, heard }) => {
    const { watchDir, open } = fakeWatch();
    const exits = new ExitWatch(watchDir);
    const got: string[] = [];
    exits.onExit((id) => got.push(id));
    exits.track(new Map([['a', '/nonexistent/a']]));
    open.get('/nonexistent/a')!.emit(filename);
    expect(got).toEqual(heard);
  });

  it('watches exactly the running containers it is given, and closes the rest', () => {
    const { watchDir, open } = fakeWatch();
    const exits = new ExitWatch(watchDir);
    exits.track(new Map([['a', '/x/a'], ['b', '/x/b']]));
    expect([...open.keys()].sort()).toEqual(['/x/a', '/x/b']);
    exits.track(new Map([['b', '/x/b'], ['c', '/x/c']]));
    expect([...open.keys()].sort()).toEqual(['/x/b', '/x/c']);
    exits.close();
    expect(open.size).toBe(0);
  });

  it('is incomplete while a running container cannot be watched, and complete once it is gone', () => {
    const { watchDir } = fakeWatch(['/x/b']);
    const exits = new ExitWatch(watchDir);
    exits.track(new Map([['a', '/x/a'], ['b', '/x/b']]));
    expect(exits.complete()).toBe(false);
    exits.track(new Map([['a', '/x/a']]));
    expect(exits.complete()).toBe(true);
  });

  it('a watch that fails later (its directory removed) makes it incomplete', () => {
    const { watchDir, open } = fakeWatch();
    const exits = new ExitWatch(watchDir);
    exits.track(new Map([['a', '/x/a']]));
    open.get('/x/a')!.w.emit('error', new Error('EPERM'));
    expect(exits.complete()).toBe(false);
    expect(open.has('/x/a')).toBe(false);
  });

  describe('on a real directory (inotify)', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'exit-watch-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('hears the exit record being written, and not other files', async () => {
      const c = join(dir, 'c1');
      await mkdir(c);
      const exits = new ExitWatch();
      const got: string[] = [];
      const heard = new Promise<void>((resolve) => exits.onExit((id) => { got.push(id); resolve(); }));
      exits.track(new Map([['c1', c]]));
      await writeFile(join(c, 'runc.log'), 'noise');
      await writeFile(join(c, 'exit.json'), '{"exitCode":0}');
      await heard;
      exits.close();
      expect(got[0]).toBe('c1');
    });

    it('reports an exit that happened before the watch was set', async () => {
      const c = join(dir, 'c2');
      await mkdir(c);
      await writeFile(join(c, 'exit.json'), '{"exitCode":1}');
      const exits = new ExitWatch();
      const got: string[] = [];
      exits.onExit((id) => got.push(id));
      exits.track(new Map([['c2', c]]));
      exits.close();
      expect(got).toEqual(['c2']);
    });
  });
});
