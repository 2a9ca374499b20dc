// A Spawner for unit tests: records every command and answers from a function, so code that
// runs host commands is tested without running them.
import { LaunchOptions, Launched, RunOptions, RunResult, Spawner } from './spawner';

export type FakeAnswer = Partial<RunResult> | Error;

export interface FakeCall {
  file: string;
  args: string[];
  options: RunOptions & LaunchOptions;
  launched: boolean;
}

export class FakeSpawner implements Spawner {
  readonly calls: FakeCall[] = [];
  private nextPid = 40_000;

  constructor(private readonly answer: (call: FakeCall) => FakeAnswer | Promise<FakeAnswer> = () => ({})) {}

  /** The calls as command lines (`ip link add …`), for compact assertions. */
  get commands(): string[] {
    return this.calls.map((c) => [c.file, ...c.args].join(' '));
  }

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const call = { file, args: [...args], options, launched: false };
    this.calls.push(call);
    const answer = await this.answer(call);
    if (answer instanceof Error) throw answer;
    return { code: 0, signal: null, stdout: '', stderr: '', killed: false, ...answer };
  }

  async launch(file: string, args: readonly string[], options: LaunchOptions = {}): Promise<Launched> {
    const call = { file, args: [...args], options, launched: true };
    this.calls.push(call);
    const answer = await this.answer(call);
    if (answer instanceof Error) throw answer;
    return { pid: this.nextPid++, exited: new Promise(() => undefined) };
  }
}
