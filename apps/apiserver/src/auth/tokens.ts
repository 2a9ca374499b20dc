// Bearer-token authentication from a static token file (Kubernetes' --token-auth-file
// format: `token,user,uid,"group1,group2"` per line) and the roles Coxswain grants.
import { readFileSync } from 'node:fs';

export type Role = 'admin' | 'viewer' | 'node' | 'scheduler' | 'controller' | 'bootstrapper' | 'anonymous';

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  role: Role;
  /** For node agents: the node they speak for (user `system:node:<name>`). */
  nodeName?: string;
}

export function roleFor(name: string, groups: string[]): Role {
  if (name === 'system:anonymous' || groups.includes('system:unauthenticated')) return 'anonymous';
  if (name === 'system:kube-scheduler') return 'scheduler';
  if (name === 'system:kube-controller-manager') return 'controller';
  if (groups.includes('system:nodes') || name.startsWith('system:node:')) return 'node';
  // Bootstrap tokens (system:bootstrap:<id>) may only ask for a node's first certificate.
  if (groups.includes('system:bootstrappers')) return 'bootstrapper';
  if (groups.includes('system:masters')) return 'admin';
  return 'viewer';
}

/** The user a name and groups stand for, with its role (and node, for `system:node:<name>`). */
export function userInfo(name: string, groups: string[]): UserInfo {
  const role = roleFor(name, groups);
  const nodeName = role === 'node' && name.startsWith('system:node:') ? name.slice('system:node:'.length) : undefined;
  return { name, uid: name, groups, role, nodeName };
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields.map((f) => f.trim());
}

export function parseTokenFile(text: string): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [token, name, uid, groupText = ''] = splitCsvLine(line);
    if (!token || !name) throw new Error(`token file line ${index + 1}: expected token,user,uid[,groups]`);
    const groups = groupText ? groupText.split(',').map((g) => g.trim()).filter(Boolean) : [];
    users.set(token, { ...userInfo(name, groups), uid: uid || name });
  });
  return users;
}

export class TokenAuthenticator {
  private users: Map<string, UserInfo>;
  constructor(users: Map<string, UserInfo>) {
    this.users = users;
  }
  static fromFile(path: string): TokenAuthenticator {
    return new TokenAuthenticator(parseTokenFile(readFileSync(path, 'utf8')));
  }
  /** The user for an `Authorization` header; undefined when absent or unknown. */
  authenticate(header: string | undefined): UserInfo | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match ? this.users.get(match[1]) : undefined;
  }
}
