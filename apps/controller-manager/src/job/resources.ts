// REST descriptors of the batch kinds (aliases of the client's list).
import { BUILTIN_RESOURCES as R, ResourceDescriptor } from '@coxswain/client';

export const JOB_RESOURCE: ResourceDescriptor = R.Job;
export const CRONJOB_RESOURCE: ResourceDescriptor = R.CronJob;
