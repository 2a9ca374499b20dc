// Who is calling, in Kubernetes' order: a verified client certificate (CN → user, O →
// groups), then a bearer token — a static token file entry or a bootstrap token backed by a
// Secret in kube-system. The first that recognises the request wins; none → 401, except a
// credential-free GET of kube-public/cluster-info, served as system:anonymous (kubeadm's token
// discovery; Kubernetes' anonymous auth limited to that one endpoint, as
// AnonymousAuthConfigurableEndpoints allows).
import { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { authenticateBootstrapToken, BOOTSTRAP_TOKEN_PREFIX, parseBootstrapToken, Secret } from '@coxswain/api';
import { TokenAuthenticator, UserInfo, userInfo } from './tokens';

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

/** A user from a certificate subject (`CN=system:node:n1, O=system:nodes`). */
export function userFromSubject(subject: { CN?: string | string[]; O?: string | string[] } | undefined): UserInfo | undefined {
  const cn = Array.isArray(subject?.CN) ? subject!.CN[0] : subject?.CN;
  if (!cn) return undefined;
  const groups = subject?.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return userInfo(cn, groups);
}

/** Client certificates the TLS layer verified against --client-ca-file. */
export class CertificateAuthenticator implements Authenticator {
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const socket = req.socket as TLSSocket;
    if (!socket.encrypted || !socket.authorized) return undefined;
    const cert = socket.getPeerCertificate();
    return cert && Object.keys(cert).length ? userFromSubject(cert.subject as never) : undefined;
  }
}

const bearer = (req: IncomingMessage): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

export class TokenFileAuthenticator implements Authenticator {
  constructor(private readonly tokens: TokenAuthenticator) {}
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    return this.tokens.authenticate(req.headers.authorization);
  }
}

/** Bootstrap tokens: `<id>.<secret>` checked against the Secret kube-system/bootstrap-token-<id>. */
export class BootstrapTokenAuthenticator implements Authenticator {
  constructor(
    private readonly secretNamed: (name: string) => Promise<Secret | undefined>,
    private readonly clock: () => Date = () => new Date(),
    private readonly onRejected: (reason: string) => void = () => undefined,
  ) {}

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const text = bearer(req);
    const token = text ? parseBootstrapToken(text) : undefined;
    if (!token) return undefined;
    const result = authenticateBootstrapToken(token, await this.secretNamed(`${BOOTSTRAP_TOKEN_PREFIX}${token.id}`), this.clock());
    if (typeof result === 'string') {
      this.onRejected(`bootstrap token ${token.id}: ${result}`);
      return undefined;
    }
    return userInfo(result.name, result.groups);
  }
}

export class UnionAuthenticator implements Authenticator {
  constructor(private readonly authenticators: Authenticator[]) {}
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const authenticator of this.authenticators) {
      const user = await authenticator.authenticate(req);
      if (user) return user;
    }
    return undefined;
  }
}

export const CLUSTER_INFO_PATH = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

/** system:anonymous (group system:unauthenticated), for the one request that may come without credentials. */
export const ANONYMOUS: UserInfo = userInfo('system:anonymous', ['system:unauthenticated']);

/** Whether `req` may be served as system:anonymous: no credentials, GET of exactly cluster-info. */
export function anonymousAllowed(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): boolean {
  if (req.headers.authorization !== undefined || req.method !== 'GET') return false;
  return new URL(req.url ?? '/', 'http://local').pathname === CLUSTER_INFO_PATH;
}
