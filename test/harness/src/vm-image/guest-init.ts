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
# (Booted from a disk, the initramfs already loaded the ones it needed to find the root.)
while read -r mod; do
  [ -d "/sys/module/$mod" ] && continue
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

# cloud-init NoCloud: a seed volume labelled cidata with meta-data, network-config, user-data.
seed=$(findfs LABEL=cidata 2>/dev/null)
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /mnt/cidata; then
  echo "coxswain-guest: cidata $seed"
  host=$(sed -n 's/^local-hostname: *//p' /mnt/cidata/meta-data 2>/dev/null)
  [ -n "$host" ] && hostname "$host"
else
  seed=
fi
netcfg=
[ -n "$seed" ] && [ -f /mnt/cidata/network-config ] && netcfg=$(awk -f /etc/network-config.awk /mnt/cidata/network-config)
# The command line gives the address on a direct kernel boot; a disk boot has the network-config.
[ -z "$addr" ] && addr=$(echo "$netcfg" | sed -n 's/^addr //p' | head -n 1)
[ -z "$gw" ] && gw=$(echo "$netcfg" | sed -n 's/^gw //p' | head -n 1)
if [ -n "$addr" ]; then
  n=0
  while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done
  ip addr add "$addr" dev eth0 && ip link set eth0 up
  [ -n "$gw" ] && ip route add default via "$gw"
  echo "coxswain-guest: ip $addr"
fi
nameservers=$(echo "$netcfg" | sed -n 's/^ns //p')
if [ -n "$nameservers" ]; then
  search=$(echo "$netcfg" | sed -n 's/^search //p' | tr '\n' ' ')
  {
    [ -n "$search" ] && echo "search \${search% }"
    for ns in $nameservers; do echo "nameserver $ns"; done
  } > /etc/resolv.conf
  echo "coxswain-guest: resolver $(echo $nameservers) search \${search% }"
fi
echo "coxswain-guest: disks $(cd /sys/block && ls -d vd* 2>/dev/null | tr '\n' ' ')"

mkdir -p /www
echo "coxswain-guest $(hostname)" > /www/index.html
httpd -p 80 -h /www
acpid -c /etc/acpi -l /var/log/acpid.log

# A user-data script (#!) runs once, in the background.
if [ -n "$seed" ] && [ "$(head -c 2 /mnt/cidata/user-data 2>/dev/null)" = "#!" ]; then
  cp /mnt/cidata/user-data /tmp/user-data && chmod +x /tmp/user-data
  ( /tmp/user-data; echo "coxswain-guest: user-data exit $?" ) </dev/null 2>&1 &
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

/**
 * Reads a cloud-init network-config (v2 `ethernets` with `addresses`, `gateway4` or `routes`,
 * `nameservers`; or v1 `subnets` with `address`, `gateway`, `dns_nameservers`, `dns_search`)
 * and prints what the guest applies, one per line: `addr A/N`, `gw G`, `ns IP`, `search D`.
 * A YAML subset: block mappings, block or flow lists of scalars; busybox awk.
 */
export const NETWORK_CONFIG_AWK = String.raw`function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function unq(s) { s = trim(s); gsub(/^["']|["']$/, "", s); return s }
function emit(kind, v,   n, parts, i) {
  v = trim(v)
  if (kind == "" || v == "") return
  if (substr(v, 1, 1) == "[") {
    v = substr(v, 2)
    if (substr(v, length(v)) == "]") v = substr(v, 1, length(v) - 1)
    n = split(v, parts, ",")
    for (i = 1; i <= n; i++) if (unq(parts[i]) != "") print kind, unq(parts[i])
  } else print kind, unq(v)
}
function context(upto,   i, s) { s = ""; for (i = 1; i <= upto; i++) s = s "/" keys[i]; return s }
function kindOf(key, ctx) {
  if (ctx ~ /\/nameservers$/) return key == "addresses" ? "ns" : key == "search" ? "search" : ""
  if (key == "dns_nameservers") return "ns"
  if (key == "dns_search") return "search"
  if (key == "addresses" && ctx ~ /\/ethernets\/[^\/]+$/) return "addr"
  if (key == "gateway4" && ctx ~ /\/ethernets\/[^\/]+$/) return "gw"
  if (key == "via" && ctx ~ /\/routes$/) return "gw"
  if ((key == "address" || key == "gateway") && ctx ~ /\/subnets$/) return key == "address" ? "addr" : "gw"
  return ""
}
{
  sub(/[ \t]#.*$/, ""); sub(/^#.*$/, "")
  if ($0 ~ /^[ \t]*$/) next
  match($0, /^ */); ind = RLENGTH; line = substr($0, ind + 1)
  if (line ~ /^-( |$)/) {
    item = trim(substr(line, 2))
    while (depth > 0 && inds[depth] > ind) depth--
    if (item !~ /^[A-Za-z0-9_-]+:/) { if (depth > 0) emit(kindOf(keys[depth], context(depth - 1)), item); next }
    ind = ind + 2; line = item
  } else while (depth > 0 && inds[depth] >= ind) depth--
  if (!match(line, /^[A-Za-z0-9_"-]+:/)) next
  key = unq(substr(line, 1, RLENGTH - 1)); value = trim(substr(line, RLENGTH + 1))
  if (value == "") { depth++; keys[depth] = key; inds[depth] = ind; next }
  emit(kindOf(key, context(depth)), value)
}
`;

export function guestFiles(modules: string[]): GuestFile[] {
  return [
    { path: 'etc/network-config.awk', content: NETWORK_CONFIG_AWK, mode: 0o644 },
    { path: 'etc/inittab', content: INITTAB, mode: 0o644 },
    { path: 'etc/rc.sysinit', content: RC_SYSINIT, mode: 0o755 },
    { path: 'etc/rc.shutdown', content: RC_SHUTDOWN, mode: 0o755 },
    { path: 'etc/acpi/PWRF/00000080', content: POWER_BUTTON, mode: 0o755 },
    { path: 'etc/modules', content: modules.map((m) => `${m}\n`).join(''), mode: 0o644 },
    { path: 'etc/hostname', content: 'coxswain-guest\n', mode: 0o644 },
  ];
}
