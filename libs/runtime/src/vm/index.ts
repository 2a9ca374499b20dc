export { VmDriver, VmSpecError, type VmDriverOptions } from './driver';
export { detectAccel, probeBoot, type DetectAccelOptions, type ProbeBootOptions } from './accel';
export { kernelCmdline, memoryLimitBytes, qemuArgs, vmPaths, type VmPaths } from './qemu-args';
export { QmpSession, QmpError } from './qmp';
export * from './types';
