export { VmDriver, VmSpecError, type VmDriverOptions } from './driver';
export { detectAccel, probeBoot, type DetectAccelOptions, type ProbeBootOptions } from './accel';
export { kernelCmdline, memoryLimitBytes, qemuArgs, vmPaths, type VmPaths } from './qemu-args';
export { MAX_DISK_SERIAL } from './config-disk';
export { QmpSession, QmpError } from './qmp';
export * from './types';
export { diskImageProblems, DEFAULT_MAX_DISK_BYTES, type QemuImgInfo } from './disk-check';
export { confinementArgs, sandboxOption, QEMU_USER, type QemuConfinement } from './confinement';
