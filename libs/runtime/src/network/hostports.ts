// hostPort → pod DNAT rules in the nat table. Each pod's rules carry a comment with its uid
// so they can be found and deleted from `iptables -S` output even after an agent restart.

export interface HostPortMapping {
  hostPort: number;
  containerPort: number;
  protocol?: 'tcp' | 'udp' | 'TCP' | 'UDP';
  /** Only DNAT traffic to this host address. */
  hostIP?: string;
}

export function podComment(uid: string): string {
  return `coxswain pod ${uid}`;
}

/** `iptables -t nat` argument lists that append the pod's DNAT rules to `chain`. */
export function hostPortRules(chain: string, uid: string, podIp: string, mappings: HostPortMapping[]): string[][] {
  return mappings.map((m) => {
    const proto = (m.protocol ?? 'tcp').toLowerCase();
    return [
      '-A', chain, '-p', proto, '-m', 'comment', '--comment', podComment(uid),
      ...(m.hostIP && m.hostIP !== '0.0.0.0' ? ['-d', `${m.hostIP}/32`] : []),
      '-m', proto, '--dport', String(m.hostPort),
      '-j', 'DNAT', '--to-destination', `${podIp}:${m.containerPort}`,
    ];
  });
}

/** Splits an `iptables -S` line into arguments, honouring double quotes. */
export function splitRule(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out;
}

/** The `-A` rules of an `iptables -S` listing, split into arguments. */
function appendRules(listing: string): string[][] {
  return listing.split('\n').filter((l) => l.startsWith('-A ')).map(splitRule);
}

/** A rule's `--comment`, if it has one. */
function commentOf(args: string[]): string | undefined {
  const at = args.indexOf('--comment');
  return at >= 0 ? args[at + 1] : undefined;
}

/** From `iptables -t nat -S <chain>` output, the `-D` argument lists removing `uid`'s rules. */
export function deletionsFor(listing: string, uid: string): string[][] {
  const comment = podComment(uid);
  return appendRules(listing).filter((args) => commentOf(args) === comment).map((args) => ['-D', ...args.slice(1)]);
}

/** From `iptables -t nat -S <chain>` output, the uids of the pods that have rules there. */
export function podsWithRules(listing: string): Set<string> {
  const prefix = podComment('');
  const comments = appendRules(listing).map(commentOf);
  return new Set(comments.filter((c): c is string => c?.startsWith(prefix) === true).map((c) => c.slice(prefix.length)));
}
