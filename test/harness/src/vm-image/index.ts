export { buildTinyVmFiles, DEFAULT_VM_FIXTURE_DIR, GUEST_MODULES, type TinyVmFiles } from './build';
export { INIT_MARKER, READY_MARKER } from './guest-init';
export { buildDiskVmFiles, DEFAULT_DISK_FIXTURE_DIR, DISK_ROOT_LABEL, type DiskVmFiles } from './disk-image';
