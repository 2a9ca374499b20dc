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
# No address from the command line or a seed (a disk boot without NoCloud): ask the node's DHCP.
if [ -z "$addr" ]; then
  n=0
  while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done
  ip link set eth0 up
  udhcpc -i eth0 -B -n -q -t 5 -T 2 -s /etc/udhcpc.script -x hostname:"$(hostname)" 2>&1 || echo "coxswain-guest: no DHCP lease"
fi
echo "coxswain-guest: disks $(cd /sys/block && ls -d vd* 2>/dev/null | tr '\n' ' ')"

mkdir -p /www
echo "coxswain-guest $(hostname)" > /www/index.html
httpd -p 80 -h /www
acpid -c /etc/acpi -l /var/log/acpid.log

# A user-data script (#!) runs once, in the background. #cloud-config: bootcmd, write_files,
# users and ssh_authorized_keys, hostname now; runcmd in the background (cloud-init's order).
if [ -n "$seed" ] && [ "$(head -c 2 /mnt/cidata/user-data 2>/dev/null)" = "#!" ]; then
  cp /mnt/cidata/user-data /tmp/user-data && chmod +x /tmp/user-data
  ( /tmp/user-data; echo "coxswain-guest: user-data exit $?" ) </dev/null 2>&1 &
elif [ -n "$seed" ] && [ "$(head -n 1 /mnt/cidata/user-data 2>/dev/null | tr -d '\\r ')" = "#cloud-config" ]; then
  : > /tmp/runcmd.sh
  awk -v runcmd=/tmp/runcmd.sh -f /etc/cloud-config.awk /mnt/cidata/user-data > /tmp/cloud-config.sh
  sh /tmp/cloud-config.sh </dev/null 2>&1
  echo "coxswain-guest: cloud-config exit $?"
  if [ -s /tmp/runcmd.sh ]; then
    ( sh /tmp/runcmd.sh; echo "coxswain-guest: runcmd exit $?" ) </dev/null 2>&1 &
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

// busybox udhcpc calls this with the lease in the environment (ip, mask as prefix bits, router, dns, domain).
const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    for r in $router; do ip route add default via "$r" dev "$interface"; break; done
    if [ -n "$dns" ]; then
      { [ -n "$search" ] && echo "search $search"; [ -z "$search" ] && [ -n "$domain" ] && echo "search $domain"; for d in $dns; do echo "nameserver $d"; done; } > /etc/resolv.conf
    fi
    echo "coxswain-guest: ip $ip/$mask (dhcp)"
    echo "coxswain-guest: dhcp resolver $dns search $search" ;;
esac
`;

/**
 * Turns `#cloud-config` user data into a shell script (stdout) and its runcmd into the file
 * `-v runcmd=…`: write_files (path, content as a scalar or a literal/folded block, encoding
 * b64, permissions, append), users (name, shell, ssh_authorized_keys; `default` is root),
 * top-level ssh_authorized_keys (root), hostname, bootcmd and runcmd (strings, or flow lists
 * quoted as arguments). Any other key is reported on the console as not supported. A YAML
 * subset, busybox awk.
 */
export const CLOUD_CONFIG_AWK = String.raw`function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function plain(s) { s = trim(s); sub(/[ \t]+#.*$/, "", s); return s }
function unq(s,   c) {
  s = trim(s); c = substr(s, 1, 1)
  if ((c == "\"" || c == "'") && length(s) > 1 && substr(s, length(s)) == c) {
    s = substr(s, 2, length(s) - 2)
    if (c == "'") gsub(/''/, "'", s)
    else { gsub(/\\n/, "\n", s); gsub(/\\t/, "\t", s); gsub(/\\"/, "\"", s) }
    return s
  }
  return plain(s)
}
function sq(s) { gsub(/'/, "'\\''", s); return "'" s "'" }
function flow(v,   n, parts, i, r) {
  v = trim(v); v = substr(v, 2, length(v) - 2); n = split(v, parts, ","); r = ""
  for (i = 1; i <= n; i++) if (trim(parts[i]) != "") r = r (r == "" ? "" : " ") sq(unq(parts[i]))
  return r
}
function note(what) { print "echo " sq("coxswain-guest: cloud-config: " what) }
function command(v, target) {
  v = trim(v)
  if (v == "") return
  v = substr(v, 1, 1) == "[" ? flow(v) : unq(v)
  if (target == "runcmd") print v > runcmd
  else print v
}
function keys(user, v,   home) {
  home = user == "root" ? "/root" : "/home/" user
  print "mkdir -p " home "/.ssh && printf '%s\\n' " sq(v) " >> " home "/.ssh/authorized_keys && chmod 700 " home "/.ssh && chmod 600 " home "/.ssh/authorized_keys"
  print "chown -R " sq(user) " " home "/.ssh 2>/dev/null"
}
function flush(   mode, op) {
  if (section == "write_files" && f["path"] != "") {
    op = f["append"] ~ /^(true|True|yes)$/ ? ">>" : ">"
    print "mkdir -p \"$(dirname " sq(f["path"]) ")\""
    if (f["encoding"] ~ /^(b64|base64)$/) print "printf '%s' " sq(f["content"]) " | base64 -d " op " " sq(f["path"])
    else if (f["encoding"] != "" && f["encoding"] != "text/plain") note("write_files encoding " f["encoding"] " not supported")
    else print "printf '%s' " sq(f["content"]) " " op " " sq(f["path"])
    mode = f["permissions"] == "" ? "0644" : f["permissions"]
    print "chmod " sq(mode) " " sq(f["path"])
    if (f["owner"] != "" && f["owner"] !~ /^root(:root)?$/) print "chown " sq(f["owner"]) " " sq(f["path"])
    print "echo " sq("coxswain-guest: cloud-config wrote " f["path"])
  }
  if (section == "users" && f["name"] != "") {
    if (f["name"] != "root") {
      print "touch /etc/passwd /etc/group; if ! grep -q " sq("^" f["name"] ":") " /etc/passwd; then"
      print "  uid=$(awk -F: 'BEGIN { m = 999 } $3 > m && $3 < 60000 { m = $3 } END { print m + 1 }' /etc/passwd)"
      print "  echo " sq(f["name"] ":x:") "$uid:$uid::/home/" f["name"] ":" (f["shell"] == "" ? "/bin/sh" : f["shell"]) " >> /etc/passwd"
      print "  echo " sq(f["name"] ":x:") "$uid: >> /etc/group; mkdir -p /home/" f["name"] " && chown $uid:$uid /home/" f["name"]
      print "fi"
    }
    if (f["keys"] != "") keys(f["name"], f["keys"])
    print "echo " sq("coxswain-guest: cloud-config user " f["name"])
  }
  delete f
}
function endblock(   t) {
  t = blk
  if (chomp == "-") sub(/\n+$/, "", t)
  else if (chomp != "+") { sub(/\n+$/, "", t); t = t "\n" }
  if (folded) { gsub(/\n/, " ", t); sub(/ $/, "\n", t) }
  f[blockkey] = t; inblock = 0
}
function item(v) {
  if (section == "runcmd" || section == "bootcmd") command(v, section)
  else if (section == "ssh_authorized_keys") keys("root", unq(v))
  else if (section == "users") { if (unq(v) == "default") f["name"] = "root"; else if (v !~ /^[A-Za-z0-9_-]+:/) f["name"] = unq(v); else field(v) }
  else if (section == "write_files") field(v)
}
function field(line,   key, value, n, parts, i) {
  if (!match(line, /^[A-Za-z0-9_-]+:/)) return
  key = substr(line, 1, RLENGTH - 1); value = trim(substr(line, RLENGTH + 1)); sub(/^#.*$/, "", value)
  sublist = ""
  if (value ~ /^[|>][-+]?[ \t]*$/) { inblock = 1; blk = ""; bind = -1; blockparent = ind; blockkey = key; folded = substr(value, 1, 1) == ">"; chomp = substr(value, 2, 1); return }
  if (section == "users" && key == "ssh_authorized_keys") {
    if (value == "") { sublist = "keys"; return }
    if (substr(value, 1, 1) == "[") { n = split(substr(value, 2, length(value) - 2), parts, ","); for (i = 1; i <= n; i++) if (trim(parts[i]) != "") f["keys"] = f["keys"] (f["keys"] == "" ? "" : "\n") unq(parts[i]); return }
  }
  if (section == "users" && key != "name" && key != "shell" && key != "ssh_authorized_keys") { note("users." key " not supported"); return }
  if (section == "write_files" && key !~ /^(path|content|permissions|encoding|append|owner)$/) { note("write_files." key " not supported"); return }
  f[key] = unq(value)
}
{
  sub(/\r$/, "")
  raw = $0
  if (inblock) {
    if (raw ~ /^[ \t]*$/) { blk = blk "\n"; next }
    match(raw, /^ */)
    if (RLENGTH > blockparent) { if (bind < 0) bind = RLENGTH; blk = blk substr(raw, bind + 1) "\n"; next }
    endblock()
  }
  if (raw ~ /^[ \t]*(#.*)?$/) next
  match(raw, /^ */); ind = RLENGTH; line = substr(raw, ind + 1)
  if (ind == 0 && line !~ /^-/) {
    flush(); section = ""
    if (!match(line, /^[A-Za-z0-9_-]+:/)) next
    key = substr(line, 1, RLENGTH - 1); value = plain(substr(line, RLENGTH + 1))
    if (key ~ /^(write_files|users|runcmd|bootcmd|ssh_authorized_keys)$/) {
      section = key
      if (value ~ /^\[/ && section != "write_files" && section != "users") { n = split(substr(value, 2, length(value) - 2), parts, ","); for (i = 1; i <= n; i++) item(parts[i]) }
    } else if (key == "hostname") print "hostname " sq(unq(value)) " && echo " sq("coxswain-guest: cloud-config hostname " unq(value))
    else if (key != "fqdn" && key != "preserve_hostname") note(key " not supported")
    next
  }
  if (line ~ /^-([ \t]|$)/) {
    v = trim(substr(line, 2))
    if (sublist == "keys" && ind > itemind) { f["keys"] = f["keys"] (f["keys"] == "" ? "" : "\n") unq(v); next }
    flush(); sublist = ""; itemind = ind; ind = ind + 2
    item(v)
    next
  }
  if (section == "users" || section == "write_files") field(line)
}
END { if (inblock) endblock(); flush() }
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
    { path: 'etc/cloud-config.awk', content: CLOUD_CONFIG_AWK, mode: 0o644 },
    { path: 'etc/udhcpc.script', content: UDHCPC_SCRIPT, mode: 0o755 },
    { path: 'etc/inittab', content: INITTAB, mode: 0o644 },
    { path: 'etc/rc.sysinit', content: RC_SYSINIT, mode: 0o755 },
    { path: 'etc/rc.shutdown', content: RC_SHUTDOWN, mode: 0o755 },
    { path: 'etc/acpi/PWRF/00000080', content: POWER_BUTTON, mode: 0o755 },
    { path: 'etc/modules', content: modules.map((m) => `${m}\n`).join(''), mode: 0o644 },
    { path: 'etc/hostname', content: 'coxswain-guest\n', mode: 0o644 },
  ];
}
