// core/v1 ConfigMap and Secret. Payload maps are free-form objects here; key syntax, base64,
// sizes and per-type rules are cross-field checks in validation/config.ts.
import { Bool, FreeObject, Opt, Str } from '../validation/decorators';
import { KindBase } from './meta';

export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

export class ConfigMap extends KindBase {
  @Opt(FreeObject()) data?: Record<string, string>;
  /** Values are base64 on the wire. */
  @Opt(FreeObject()) binaryData?: Record<string, string>;
  @Opt(Bool()) immutable?: boolean;
}

export class Secret extends KindBase {
  /** Values are base64 on the wire. */
  @Opt(FreeObject()) data?: Record<string, string>;
  /** Write-only: merged into `data` on write, never stored or returned. */
  @Opt(FreeObject()) stringData?: Record<string, string>;
  @Opt(Str()) type?: string;
  @Opt(Bool()) immutable?: boolean;
}
