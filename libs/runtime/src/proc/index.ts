export { guestRamResident, parseRollup, parseSmaps, readProcessMemory, readVmMemory, vmMemory, type Mapping, type ProcessMemory, type VmMemory } from './smaps';
