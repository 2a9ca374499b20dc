import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runCordon(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runDrain(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runUncordon(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

