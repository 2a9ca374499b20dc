import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runConsole(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runVmStart(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}
export async function runVmStop(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}
export async function runVmRestart(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}
export async function runVmList(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}
