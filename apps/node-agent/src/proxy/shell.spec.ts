// The long-lived command shell on a real /bin/sh: output, input, exit codes, quoting, order,
// recovery after the shell dies, and timeouts.
import { CommandShell, shellQuote } from './shell';

describe('CommandShell', () => {
  let shell: CommandShell;
  beforeEach(() => (shell = new CommandShell()));
  afterEach(() => shell.close());

  it('returns stdout, feeds stdin, passes arguments verbatim', async () => {
    expect(await shell.run(['echo', 'a b', "it's", '$HOME', '`x`', ';', '*'])).toBe("a b it's $HOME `x` ; *\n");
    expect(await shell.run(['cat'], { input: '*nat\nCOMMIT\n' })).toBe('*nat\nCOMMIT\n');
    expect(await shell.run(['cat'])).toBe('');
  });

  it('rejects with the command and its stderr on a non-zero exit, and keeps working', async () => {
    await expect(shell.run(['sh', '-c', 'echo bad rule >&2; exit 2'])).rejects.toThrow("sh -c echo bad rule >&2; exit 2: bad rule");
    await expect(shell.run(['false'])).rejects.toThrow('false: exit code 1');
    await expect(shell.run(['/nonexistent/tool'])).rejects.toThrow(/\/nonexistent\/tool: .*not found/);
    expect(await shell.run(['echo', 'ok'])).toBe('ok\n');
  });

  it('runs concurrent callers one at a time, in call order', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => shell.run(['sh', '-c', `sleep 0.0${5 - i}; echo ${i}`])));
    expect(results).toEqual(['1\n', '2\n', '3\n', '4\n']);
  });

  it('starts a new shell when the old one dies', async () => {
    await expect(shell.run(['sh', '-c', 'kill -9 $PPID'])).rejects.toThrow(/shell exited/);
    expect(await shell.run(['echo', 'again'])).toBe('again\n');
  });

  it('gives up on a command that does not finish in time', async () => {
    await expect(shell.run(['sleep', '5'], { timeoutMs: 200 })).rejects.toThrow('sleep 5: no exit within 200 ms');
    expect(await shell.run(['echo', 'after'])).toBe('after\n');
  });

  it('refuses commands once closed', async () => {
    await shell.close();
    await expect(shell.run(['true'])).rejects.toThrow('true: shell closed');
  });

  it.each([['plain', "'plain'"], ["a'b", "'a'\\''b'"], ['', "''"]])('quotes %j as %s', (arg, want) => {
    expect(shellQuote(arg)).toBe(want);
  });
});
