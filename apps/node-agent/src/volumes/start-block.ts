// Maps the errors that make a container wait (not fail) to the status and Event the kubelet
// shows: a missing env reference → CreateContainerConfigError + `Failed` "Error: …"; a volume
// that cannot be set up → ContainerCreating + `FailedMount`; a process runc cannot start (a
// command that does not exist) → RunContainerError + `Failed` "Error: …".
import { ContainerStartError } from '@coxswain/runtime';
import { ContainerConfigError } from '../env/resolve-env';
import { VolumeSetupError } from './payload';

export interface StartBlock {
  state: { reason: 'CreateContainerConfigError' | 'ContainerCreating' | 'RunContainerError'; message: string };
  event: { reason: string; message: string };
}

export function startBlock(error: unknown): StartBlock | undefined {
  if (error instanceof ContainerConfigError) return { state: { reason: 'CreateContainerConfigError', message: error.message }, event: { reason: 'Failed', message: `Error: ${error.message}` } };
  if (error instanceof ContainerStartError) return { state: { reason: 'RunContainerError', message: error.message }, event: { reason: 'Failed', message: `Error: ${error.message}` } };
  if (error instanceof VolumeSetupError) return { state: { reason: 'ContainerCreating', message: error.message }, event: { reason: 'FailedMount', message: error.message } };
  return undefined;
}
