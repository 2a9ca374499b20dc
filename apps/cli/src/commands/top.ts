import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runTopNodes(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runTopPods(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

