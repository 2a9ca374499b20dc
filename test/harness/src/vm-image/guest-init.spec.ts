import { guestFiles, INIT_MARKER } from './guest-init';

describe('guestFiles', () => {
  const files = new Map(guestFiles(['virtio', 'virtio_net']).map((f) => [f.path, f]));

  it('lists modules one per line, newline-terminated so `read` sees the last one', () => {
    expect(files.get('etc/modules')?.content).toBe('virtio\nvirtio_net\n');
  });

  it.each([
    ['etc/rc.sysinit', 0o755],
    ['etc/rc.shutdown', 0o755],
    ['etc/acpi/PWRF/00000080', 0o755],
    ['etc/inittab', 0o644],
  ])('%s has mode %o', (path, mode) => expect(files.get(path)?.mode).toBe(mode));

  it('inittab: sysinit, a respawning shell on the serial line, shutdown script', () => {
    const inittab = files.get('etc/inittab')!.content;
    expect(inittab).toContain('::sysinit:/etc/rc.sysinit');
    expect(inittab).toContain('ttyS0::respawn:-/bin/sh');
    expect(inittab).toContain('::shutdown:/etc/rc.shutdown');
  });

  it('sysinit prints the marker and reads the coxswain.* kernel arguments literally', () => {
    const rc = files.get('etc/rc.sysinit')!.content;
    expect(rc).toContain(`echo "${INIT_MARKER}"`);
    expect(rc).toContain('coxswain.ip=*) addr="${arg#*=}"');
    expect(rc.startsWith('#!/bin/sh\n')).toBe(true);
  });
});
