// VMI configMap/secret volumes (exposed to the guest as ISO disks) and disk serials, as
// KubeVirt's admission checks them. Pure.
import { CauseReason, StatusCause } from '../status/status';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (field: string, value: unknown, detail: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });

/** ISO 9660 volume identifiers: at most 32 characters; we keep to ones QEMU and blkid take as is. */
const LABEL = /^[A-Za-z0-9_-]{1,32}$/;
/** What virtio-blk can report (20 bytes) in the characters KubeVirt allows. */
const SERIAL = /^[A-Za-z0-9_.+-]+$/;
const MAX_SERIAL = 20;

export function checkVmiConfigVolume(volume: Obj, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, nameField] of [['configMap', 'name'], ['secret', 'secretName']] as const) {
    const source = volume[key];
    if (!isObj(source)) continue;
    if (typeof source[nameField] !== 'string' || source[nameField] === '') causes.push({ reason: CauseReason.Required, field: `${at}.${key}.${nameField}`, message: 'Required value' });
    if (source.volumeLabel !== undefined && source.volumeLabel !== '' && !LABEL.test(String(source.volumeLabel))) {
      causes.push(invalid(`${at}.${key}.volumeLabel`, source.volumeLabel, 'must be 1-32 characters of A-Z, a-z, 0-9, _ and -'));
    }
  }
  return causes;
}

export function checkVmiDiskSerial(serial: unknown, field: string): StatusCause[] {
  if (serial === undefined) return [];
  const value = String(serial);
  if (!SERIAL.test(value)) return [invalid(field, serial, 'must be made up of the following characters [A-Za-z0-9_.+-], if specified')];
  if (value.length > MAX_SERIAL) return [invalid(field, serial, `must be less than or equal to ${MAX_SERIAL} in length, if specified`)];
  return [];
}
