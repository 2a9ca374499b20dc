/** kubeconfig shapes (clientcmd v1). Unknown fields are kept when files are edited. */
export interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  [field: string]: unknown;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  [field: string]: unknown;
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
  [field: string]: unknown;
}

export interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters: Array<{ name: string; cluster: KubeconfigCluster }>;
  users: Array<{ name: string; user: KubeconfigUser }>;
  contexts: Array<{ name: string; context: KubeconfigContext }>;
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The three named lists and the key that holds each entry's body. */
export const SECTIONS = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
export type Section = keyof typeof SECTIONS;

export function emptyKubeconfig(): Kubeconfig {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], 'current-context': '', preferences: {} };
}
