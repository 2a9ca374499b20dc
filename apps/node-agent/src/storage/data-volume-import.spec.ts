import { importSourceOf, lastProgress, sizeRefusal } from './data-volume-import';

const claim = (annotations?: Record<string, string>) => ({ metadata: { name: 'disk', namespace: 'ns', annotations } }) as never;

describe('DataVolume import helpers', () => {
  it.each<[string, Record<string, string> | undefined, unknown]>([
    ['a plain claim', undefined, undefined],
    ['registry', { 'cdi.kubevirt.io/storage.import.source': 'registry', 'cdi.kubevirt.io/storage.import.endpoint': 'docker://reg:5000/disk:1' }, { kind: 'registry', image: 'reg:5000/disk:1' }],
    ['blank', { 'cdi.kubevirt.io/storage.import.source': 'none' }, { kind: 'blank' }],
    ['http (not imported here)', { 'cdi.kubevirt.io/storage.import.source': 'http' }, { kind: 'invalid', why: 'unsupported import source "http"' }],
    ['registry without a docker:// endpoint', { 'cdi.kubevirt.io/storage.import.source': 'registry', 'cdi.kubevirt.io/storage.import.endpoint': 'reg/disk' }, { kind: 'invalid', why: 'invalid registry endpoint "reg/disk"' }],
  ])('source of %s', (_name, annotations, want) => {
    expect(importSourceOf(claim(annotations))).toEqual(want);
  });

  it.each<[string, number | undefined]>([
    ['', undefined],
    ['    (0.00/100%)\r', 0],
    ['    (12.50/100%)\r    (45.20/100%)\r', 45.2],
    ['    (100.00/100%)\r\n', 100],
  ])('progress of %j', (output, want) => {
    expect(lastProgress(output)).toBe(want);
  });

  it('refuses an image larger than the claim, as CDI does', () => {
    expect(sizeRefusal(100, 100)).toBeUndefined();
    expect(sizeRefusal(101, 100)).toBe('Virtual image size 101 is larger than the reported available storage 100. A larger PVC is required.');
  });
});
