import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runRollout(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

