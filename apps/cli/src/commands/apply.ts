import { CommandContext } from '../context';
import { ParsedArgs } from '../cli/spec';

export async function runApply(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runCreate(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runCreateDeployment(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

export async function runCreateNamespace(_ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  throw new Error('not implemented yet');
}

