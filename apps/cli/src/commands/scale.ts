import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runAutoscale(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runScale(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

