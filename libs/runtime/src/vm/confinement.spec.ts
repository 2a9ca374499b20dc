import { confinementArgs, sandboxOption } from './confinement';

describe('QEMU confinement', () => {
  it.each([
    { name: 'nothing', c: undefined, want: [] },
    { name: 'sandbox as root denies set*id', c: { sandbox: true }, want: ['-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny'] },
    {
      name: 'sandbox and a user: QEMU may switch user once',
      c: { sandbox: true, runAs: 'coxswain-qemu' },
      want: ['-sandbox', 'on,obsolete=deny,elevateprivileges=allow,spawn=deny,resourcecontrol=deny', '-runas', 'coxswain-qemu'],
    },
    { name: 'user without sandbox support', c: { sandbox: false, runAs: 'coxswain-qemu' }, want: ['-runas', 'coxswain-qemu'] },
  ])('$name', ({ c, want }) => {
    expect(confinementArgs(c)).toEqual(want);
  });

  it('always denies spawning and obsolete syscalls', () => {
    for (const user of [undefined, 'u']) expect(sandboxOption(user)).toMatch(/^on,obsolete=deny,.*spawn=deny,resourcecontrol=deny$/);
  });
});
