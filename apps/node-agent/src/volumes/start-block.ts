// Maps the errors that make a container wait (not fail) to the status and Event the kubelet
// shows: a missing env reference → CreateContainerConfigError + `Failed` "Error: …"; a volume
// that cannot be set up → ContainerCreating + `FailedMount`.
import { ContainerConfigError } from '../env/resolve-env';
import { VolumeSetupError } from './payload';

export interface StartBlock {
  state: { reason: 'CreateContainerConfigError' | 'ContainerCreating'; message: string };
  event: { reason: string; message: string };
}

export function startBlock(error: unknown): StartBlock | undefined {
  if (error instanceof ContainerConfigError) return { state: { reason: 'CreateContainerConfigError', message: error.message }, event: { reason: 'Failed', message: `Error: ${error.message}` } };
  if (error instanceof VolumeSetupError) return { state: { reason: 'ContainerCreating', message: error.message }, event: { reason: 'FailedMount', message: error.message } };
  return undefined;
}
