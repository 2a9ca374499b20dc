// core/v1 SecurityContext (container) and PodSecurityContext. Every field Kubernetes has is
// declared so none is pruned silently; the ones Coxswain cannot enforce are refused by
// validation/security.ts with a 422 naming the field.
import { AnyValue, Bool, Int, Nested, NestedList, OneOf, Opt, Req, Str, StrArray } from '../validation/decorators';

/** Kubernetes' bound for ids (`must be between 0 and 2147483647, inclusive`). */
export const MAX_ID = 2147483647;
const Id = () => Int(0, MAX_ID);

export const SECCOMP_PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'] as const;
export type SeccompProfileType = (typeof SECCOMP_PROFILE_TYPES)[number];

export class Capabilities {
  @Opt(StrArray()) add?: string[];
  @Opt(StrArray()) drop?: string[];
}

export class SeccompProfile {
  @Req(OneOf(SECCOMP_PROFILE_TYPES)) type!: SeccompProfileType;
  @Opt(Str()) localhostProfile?: string;
}

export class AppArmorProfile {
  @Req(OneOf(['RuntimeDefault', 'Unconfined', 'Localhost'])) type!: string;
  @Opt(Str()) localhostProfile?: string;
}

export class Sysctl {
  @Req(Str()) name!: string;
  @Req(Str()) value!: string;
}

export class SecurityContext {
  @Opt(Nested(() => Capabilities)) capabilities?: Capabilities;
  @Opt(Bool()) privileged?: boolean;
  @AnyValue() seLinuxOptions?: unknown;
  @AnyValue() windowsOptions?: unknown;
  @Opt(Id()) runAsUser?: number;
  @Opt(Id()) runAsGroup?: number;
  @Opt(Bool()) runAsNonRoot?: boolean;
  @Opt(Bool()) readOnlyRootFilesystem?: boolean;
  @Opt(Bool()) allowPrivilegeEscalation?: boolean;
  @Opt(OneOf(['Default', 'Unmasked'])) procMount?: 'Default' | 'Unmasked';
  @Opt(Nested(() => SeccompProfile)) seccompProfile?: SeccompProfile;
  @Opt(Nested(() => AppArmorProfile)) appArmorProfile?: AppArmorProfile;
}

export class PodSecurityContext {
  @AnyValue() seLinuxOptions?: unknown;
  @AnyValue() windowsOptions?: unknown;
  @Opt(Id()) runAsUser?: number;
  @Opt(Id()) runAsGroup?: number;
  @Opt(Bool()) runAsNonRoot?: boolean;
  @AnyValue() supplementalGroups?: number[];
  @Opt(OneOf(['Merge', 'Strict'])) supplementalGroupsPolicy?: 'Merge' | 'Strict';
  @Opt(Id()) fsGroup?: number;
  @Opt(NestedList(() => Sysctl)) sysctls?: Sysctl[];
  @Opt(OneOf(['OnRootMismatch', 'Always'])) fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  @Opt(Nested(() => SeccompProfile)) seccompProfile?: SeccompProfile;
  @Opt(Nested(() => AppArmorProfile)) appArmorProfile?: AppArmorProfile;
  @AnyValue() seLinuxChangePolicy?: unknown;
}
