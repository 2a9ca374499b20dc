export { buildTinyVmFiles, DEFAULT_VM_FIXTURE_DIR, GUEST_MODULES, type TinyVmFiles } from './build';
export { INIT_MARKER, READY_MARKER } from './guest-init';
