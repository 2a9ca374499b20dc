import { cloudInitUserData } from './vm-runtime';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ci' }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });

describe('cloudInitUserData (KubeVirt NoCloud sources)', () => {
  it.each<[string, object, object | null | undefined, string | undefined]>([
    ['inline userData', { userData: '#cloud-config\n' }, undefined, '#cloud-config\n'],
    ['userDataBase64', { userDataBase64: b64('#!/bin/sh\necho hi') }, undefined, '#!/bin/sh\necho hi'],
    ['secretRef with userdata', { secretRef: { name: 'ci' } }, secret({ userdata: '#cloud-config\npassword: x' }), '#cloud-config\npassword: x'],
    ['secretRef with userData', { secretRef: { name: 'ci' } }, secret({ userData: 'u' }), 'u'],
    ['nothing', {}, undefined, undefined],
  ])('%s', (_name, source, s, want) => {
    expect(cloudInitUserData(source, s as never)).toBe(want);
  });

  it('fails (the VMI does not start) when the secret or its key is missing', () => {
    expect(() => cloudInitUserData({ secretRef: { name: 'ci' } }, null)).toThrow('secret "ci" not found');
    expect(() => cloudInitUserData({ secretRef: { name: 'ci' } }, secret({ other: 'x' }) as never)).toThrow(/no userdata source found/);
  });
});
