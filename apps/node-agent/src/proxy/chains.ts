// Chain names and the parts of `iptables-save` output the proxy reads. Our chains follow
// kube-proxy's layout with a COX- prefix; per-service chains carry a hash so their names are
// stable across restarts and fit iptables' 28-character limit. Pure.
import { createHash } from 'node:crypto';

export const CHAINS = {
  services: 'COX-SERVICES',
  nodePorts: 'COX-NODEPORTS',
  externalServices: 'COX-EXTERNAL-SERVICES',
  markMasq: 'COX-MARK-MASQ',
  postrouting: 'COX-POSTROUTING',
  firewall: 'COX-FIREWALL',
} as const;

/** The packet mark bit asking POSTROUTING to masquerade (kube-proxy's 0x4000). */
export const MASQ_MARK = '0x4000';

/** Per-service/endpoint chains we own: anything else (other components' COX- chains) is never touched. */
export const OWNED_CHAIN = /^COX-(SVC|SVL|SEP|EXT)-[A-Z2-7]{16}$/;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** kube-proxy style: base32 of sha256, first 16 characters. */
export function hashName(prefix: 'SVC' | 'SVL' | 'SEP' | 'EXT', ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\0')).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 16) break;
  }
  return `COX-${prefix}-${out}`;
}

export interface SavedTable {
  chains: Set<string>;
  /** `-A ...` lines as iptables-save prints them. */
  rules: string[];
}

/** Splits `iptables-save` output into its tables' chain names and rules. */
export function parseSave(text: string): Record<string, SavedTable> {
  const tables: Record<string, SavedTable> = {};
  let current: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: [] };
      tables[line.slice(1).trim()] = current;
    } else if (!current) {
      continue;
    } else if (line.startsWith(':')) {
      current.chains.add(line.slice(1).split(' ')[0]);
    } else if (line.startsWith('-A ')) {
      current.rules.push(line.trim());
    }
  }
  return tables;
}
