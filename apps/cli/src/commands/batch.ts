// coxctl create job (from an image, or --from=cronjob/NAME like kubectl) and
// coxctl cronjob suspend|resume NAME.
import { jobFromCronJob as apiJobFromCronJob, KubeObject } from '@coxswain/api';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { Obj } from '../types';
import { objectRef } from './common';
import { containerNameForImage } from './apply';

/** The Job `kubectl create job NAME --from=cronjob/X` builds (client-side) from the CronJob's template. */
export const jobFromCronJob = (name: string, cronJob: Obj): Obj => apiJobFromCronJob(name, cronJob as KubeObject);

/** The Job `kubectl create job NAME --image=IMAGE -- COMMAND` builds. */
export function jobFromImage(name: string, image: string, command: string[]): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { containers: [{ name, image, ...(command.length ? { command } : {}), resources: {} }], restartPolicy: 'Never' } } },
  };
}

export async function runCreateJob(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('exactly one NAME is required, got ' + parsed.args.length, ctx.commandPath);
  const name = parsed.args[0];
  const from = ctx.str('from');
  const image = ctx.str('image');
  if (Boolean(from) === Boolean(image)) throw new UsageError('either --image or --from must be specified', ctx.commandPath);
  const jobs = await ctx.mapper.resolve('jobs.batch');
  let job: Obj;
  if (from) {
    const [kind, source] = from.split('/');
    if (!source || !['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'].includes(kind.toLowerCase())) throw new CliError(`from must be an existing cronjob: ${from}`);
    const cronJobs = await ctx.mapper.resolve('cronjobs.batch');
    job = jobFromCronJob(name, await ctx.client.get<Obj>(cronJobs, source, { namespace: ctx.namespace }));
  } else {
    job = jobFromImage(name, image, parsed.dashArgs);
    job.spec.template.spec.containers[0].name = containerNameForImage(name);
  }
  const dryRun = ctx.str('dry-run') || 'none';
  job.metadata.namespace = ctx.namespace;
  if (dryRun !== 'client') await ctx.client.create<Obj>(jobs, job, { namespace: ctx.namespace, dryRun: dryRun === 'server' });
  ctx.out(`${objectRef(jobs, name)} created${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
  return 0;
}

export async function runCronJobSuspend(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const suspend = ctx.commandPath[ctx.commandPath.length - 1] === 'suspend';
  if (parsed.args.length < 1) throw new UsageError('a CronJob NAME is required', ctx.commandPath);
  const cronJobs = await ctx.mapper.resolve('cronjobs.batch');
  for (const name of parsed.args) {
    await ctx.client.patch(cronJobs, name, { spec: { suspend } }, { namespace: ctx.namespace, type: 'merge' });
    ctx.out(`${objectRef(cronJobs, name)} ${suspend ? 'suspended' : 'resumed'}\n`);
  }
  return 0;
}
