// The API server's encryption-at-rest key file (Kubernetes' EncryptionConfiguration): one
// AES-256-GCM key for Secrets, identity second so values written before encryption still read.
// Kept across restarts: etcd data outlives the process, and a new key could not read it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface EncryptionKey {
  name: string;
  /** base64 of 32 random bytes. */
  secret: string;
}

export function encryptionConfigYaml(keys: EncryptionKey[], resources: string[] = ['secrets']): string {
  const keyLines = keys.map((k) => `              - name: ${k.name}\n                secret: ${k.secret}`).join('\n');
  return [
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: EncryptionConfiguration',
    'resources:',
    `  - resources: [${resources.join(', ')}]`,
    '    providers:',
    '      - aesgcm:',
    '          keys:',
    keyLines,
    '      - identity: {}',
    '',
  ].join('\n');
}

export const newEncryptionKey = (name: string): EncryptionKey => ({ name, secret: randomBytes(32).toString('base64') });

/** `<dir>/encryption-config.yaml`, created with a fresh key unless it exists. */
export function ensureEncryptionConfig(dir: string): string {
  const path = join(dir, 'encryption-config.yaml');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encryptionConfigYaml([newEncryptionKey('key1')]), { mode: 0o600 });
  }
  return path;
}
