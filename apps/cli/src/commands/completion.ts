// coxctl completion bash|zsh prints the glue script; the hidden `__complete` answers it.
import { ParsedArgs, UsageError } from '../cli/spec';
import { ROOT } from '../cli/commands';
import { GLOBAL_FLAGS } from '../cli/flags';
import { CommandContext } from '../context';
import { complete, CompletionSources } from '../completion/complete';
import { BASH_COMPLETION, ZSH_COMPLETION } from '../completion/scripts';
import { ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';

export async function runCompletion(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const shell = parsed.args[0];
  if (shell === 'bash') ctx.out(BASH_COMPLETION);
  else if (shell === 'zsh') ctx.out(ZSH_COMPLETION);
  else throw new UsageError(shell ? `unsupported shell type "${shell}"` : 'Shell not specified (bash or zsh).', ctx.commandPath);
  return 0;
}

/** Live names for completion; every failure just means "no candidates". */
function sources(ctx: CommandContext): CompletionSources {
  const quiet = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch {
      return fallback;
    }
  };
  const kubeconfig = () => {
    try {
      return ctx.loadKubeconfig().config;
    } catch {
      return undefined;
    }
  };
  const namespace = () => ctx.namespace;
  return {
    resourceTypes: () => ResourceMapper.builtin().map((r) => r.plural).sort(),
    names: (type) =>
      quiet(async () => {
        const resource = await ctx.mapper.resolve(type);
        const list = await ctx.client.list<Obj>(resource, { namespace: resource.namespaced ? namespace() : undefined, limit: 500 });
        return list.items.map((o) => o.metadata?.name as string);
      }, []),
    namespaces: () => quiet(async () => (await ctx.client.list<Obj>(ResourceMapper.builtinKind('Namespace'), { limit: 500 })).items.map((o) => o.metadata?.name as string), []),
    contexts: () => kubeconfig()?.contexts.map((c) => c.name) ?? [],
    clusters: () => kubeconfig()?.clusters.map((c) => c.name) ?? [],
    users: () => kubeconfig()?.users.map((u) => u.name) ?? [],
    containers: (podArg) =>
      quiet(async () => {
        const pod = await ctx.client.get<Obj>(ResourceMapper.builtinKind('Pod'), podArg.replace(/^pods?\//, ''), { namespace: namespace() });
        return [...((pod.spec?.containers ?? []) as Obj[]), ...((pod.spec?.initContainers ?? []) as Obj[])].map((c) => c.name as string);
      }, []),
  };
}

export async function runComplete(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const words = parsed.args.length ? parsed.args : [''];
  const result = await complete(ROOT, GLOBAL_FLAGS, words, sources(ctx));
  const current = words[words.length - 1] ?? '';
  const shown = result.candidates[0] === '__files__' ? result.candidates : result.candidates.filter((c) => c.startsWith(current));
  ctx.out(shown.map((c) => `${c}\n`).join(''));
  return 0;
}
