// REST descriptors of the batch kinds (the client's built-in list predates them).
import { ResourceDescriptor } from '@coxswain/client';

export const JOB_RESOURCE: ResourceDescriptor = { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true };
export const CRONJOB_RESOURCE: ResourceDescriptor = { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true };
