// The TYPE [NAME…] | TYPE/NAME… argument forms kubectl's resource builder accepts.
import { UsageError } from '../cli/spec';

export interface ResourceRef {
  /** What the user typed for the type, e.g. `po`, `deployments.apps`, `all`. */
  type: string;
  /** Empty: every object of the type. */
  name?: string;
}

export interface ResourceArgs {
  /** Type groups in the order given; `pods,deploy x` → pods/x, deploy/x. */
  refs: ResourceRef[];
  /** Whether names were given (so missing objects are errors, not empty lists). */
  named: boolean;
}

export function parseResourceArgs(args: string[], command = 'get'): ResourceArgs {
  if (!args.length) throw new UsageError(`you must specify the type of resource to ${command}. Use "coxctl api-resources" for a complete list of supported resources.`);
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length) {
    if (slashed.length !== args.length) {
      throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'coxctl ${command} resource/<resource_name>' instead of 'coxctl ${command} resource resource/<resource_name>'`);
    }
    const refs = args.map((a) => {
      const slash = a.indexOf('/');
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (!type || !name) throw new UsageError(`arguments in resource/name form must have a single resource and name`);
      return { type, name };
    });
    return { refs, named: true };
  }
  const types = args[0].split(',').filter(Boolean);
  const names = args.slice(1);
  if (!names.length) return { refs: types.map((type) => ({ type })), named: false };
  return { refs: types.flatMap((type) => names.map((name) => ({ type, name }))), named: true };
}
