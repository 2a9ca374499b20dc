/**
 * The tiny guest's userland: busybox init runs these scripts. Markers start with
 * `coxswain-guest:` so tests and the VM driver can read progress from the serial log.
 */

export const INIT_MARKER = 'coxswain-guest: init started';
export const READY_MARKER = 'coxswain-guest: ready';

export interface GuestFile {
  path: string;
  content: string;
  mode: number;
}

// busybox init: sysinit once, a shell on the serial line that comes back when exited,
// and the shutdown script before power-off (poweroff / ACPI button / ctrl-alt-del).
const INITTAB = `::sysinit:/etc/rc.sysinit
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/bin/poweroff
::shutdown:/etc/rc.shutdown
`;

const RC_SYSINIT = `#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run /var/log /mnt/cidata
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
echo "${INIT_MARKER}"
echo "coxswain-guest: kernel $(uname -s) $(uname -r) $(uname -m)"

# virtio and friends are modules in the cloud kernel; /etc/modules is in dependency order.
while read -r mod; do
  insmod "/lib/modules/$mod.ko" 2>/dev/null || echo "coxswain-guest: insmod $mod failed"
done < /etc/modules

# The cloud kernel has no ip= autoconfiguration: read our own keys from the command line.
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    coxswain.ip=*) addr="\${arg#*=}" ;;
    coxswain.gw=*) gw="\${arg#*=}" ;;
    coxswain.hostname=*) name="\${arg#*=}" ;;
  esac
done
hostname "\${name:-coxswain-guest}"
ip link set lo up
if [ -n "$addr" ]; then
  n=0
  while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done
  ip addr add "$addr" dev eth0 && ip link set eth0 up
  [ -n "$gw" ] && ip route add default via "$gw"
  echo "coxswain-guest: ip $addr"
fi
echo "coxswain-guest: disks $(cd /sys/block && ls -d vd* 2>/dev/null | tr '\\n' ' ')"

mkdir -p /www
echo "coxswain-guest $(hostname)" > /www/index.html
httpd -p 80 -h /www
acpid -c /etc/acpi -l /var/log/acpid.log

# cloud-init NoCloud: a seed volume labelled cidata; a user-data script (#!) runs once.
seed=$(findfs LABEL=cidata 2>/dev/null)
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /mnt/cidata; then
  echo "coxswain-guest: cidata $seed"
  host=$(sed -n 's/^local-hostname: *//p' /mnt/cidata/meta-data 2>/dev/null)
  [ -n "$host" ] && hostname "$host"
  if [ "$(head -c 2 /mnt/cidata/user-data 2>/dev/null)" = "#!" ]; then
    cp /mnt/cidata/user-data /tmp/user-data && chmod +x /tmp/user-data
    ( /tmp/user-data; echo "coxswain-guest: user-data exit $?" ) </dev/null 2>&1 &
  fi
fi
echo "${READY_MARKER}"
`;

const RC_SHUTDOWN = `#!/bin/sh
echo "coxswain-guest: shutting down"
killall httpd acpid 2>/dev/null
sync
umount /mnt/cidata 2>/dev/null
`;

// busybox acpid turns the power-button key into PWRF/00000080 and runs the file of that name.
const POWER_BUTTON = `#!/bin/sh
echo "coxswain-guest: power button" > /dev/console
poweroff
`;

export function guestFiles(modules: string[]): GuestFile[] {
  return [
    { path: 'etc/inittab', content: INITTAB, mode: 0o644 },
    { path: 'etc/rc.sysinit', content: RC_SYSINIT, mode: 0o755 },
    { path: 'etc/rc.shutdown', content: RC_SHUTDOWN, mode: 0o755 },
    { path: 'etc/acpi/PWRF/00000080', content: POWER_BUTTON, mode: 0o755 },
    { path: 'etc/modules', content: modules.map((m) => `${m}\n`).join(''), mode: 0o644 },
    { path: 'etc/hostname', content: 'coxswain-guest\n', mode: 0o644 },
  ];
}
