// coxctl cronjob suspend|resume: kubectl does it with `patch -p '{"spec":{"suspend":true}}'`.
import { batchCmd, lazy } from '../lazy';
import { CommandSpec } from '../spec';

export const cronjob: CommandSpec = {
  name: 'cronjob',
  aliases: ['cj'],
  summary: 'Suspend or resume CronJobs',
  usage: 'coxctl cronjob (suspend|resume) NAME... [flags]',
  examples: `# Stop scheduling new Jobs of backup\ncoxctl cronjob suspend backup\n\n# Schedule them again\ncoxctl cronjob resume backup`,
  subcommands: [
    { name: 'suspend', summary: 'Stop a CronJob from creating new Jobs (running ones continue)', usage: 'coxctl cronjob suspend NAME... [flags]', examples: 'coxctl cronjob suspend backup', run: lazy(batchCmd, 'runCronJobSuspend') },
    { name: 'resume', summary: 'Let a suspended CronJob create Jobs again', usage: 'coxctl cronjob resume NAME... [flags]', examples: 'coxctl cronjob resume backup', run: lazy(batchCmd, 'runCronJobSuspend') },
  ],
};
