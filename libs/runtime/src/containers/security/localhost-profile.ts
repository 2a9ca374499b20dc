// Seccomp profiles a pod names with `type: Localhost`: JSON files (OCI linux.seccomp shape, as
// containerd and the kubelet read them) under the node's seccomp directory.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { SeccompProfile } from './seccomp';
import { SecurityContextError } from './security-context';

/** Reads `<dir>/<name>`; a missing, escaping or malformed file is a CreateContainerConfigError. */
export async function loadLocalhostProfile(dir: string, name: string): Promise<SeccompProfile> {
  const rel = normalize(name);
  if (!name || isAbsolute(name) || rel.startsWith('..')) throw new SecurityContextError(`invalid seccomp localhostProfile "${name}": must be a path relative to the node's seccomp directory`);
  const path = join(dir, rel);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecurityContextError(`cannot load seccomp profile "${path}": ${code === 'ENOENT' ? 'no such file or directory' : String(error)}`);
  }
  let profile: unknown;
  try {
    profile = JSON.parse(text);
  } catch {
    throw new SecurityContextError(`cannot load seccomp profile "${path}": not valid JSON`);
  }
  if (typeof profile !== 'object' || profile === null || typeof (profile as SeccompProfile).defaultAction !== 'string') {
    throw new SecurityContextError(`cannot load seccomp profile "${path}": defaultAction is required`);
  }
  return profile as SeccompProfile;
}
