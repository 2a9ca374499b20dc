export { guestRamResident, parseRollup, parseSmaps, readProcessMemory, readVmMemory, vmMemory, type Mapping, type ProcessMemory, type VmMemory } from './smaps';
export { CommandError, DEFAULT_MAX_BUFFER, type LaunchOptions, type Launched, type RunOptions, type RunResult, type Spawner } from './spawner';
export { DirectSpawner } from './direct-spawner';
export { HelperSpawner, type HelperSpawnerOptions } from './spawn-helper';
export { defaultSpawner, runCommand, setDefaultSpawner } from './run-command';
export { FakeSpawner, type FakeAnswer, type FakeCall } from './fake-spawner';
export { SharedRead } from './shared-read';
