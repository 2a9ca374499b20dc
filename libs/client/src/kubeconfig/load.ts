import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { emptyKubeconfig, Kubeconfig, Section, SECTIONS } from './types';

export interface LoadKubeconfigOptions {
  /** An explicit --kubeconfig path: used alone and must exist. */
  path?: string;
  /** Environment to read KUBECONFIG and HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeconfig {
  /** The merged view, with relative file references resolved against their file. */
  config: Kubeconfig;
  /** Files in precedence order (highest first), existing or not. */
  files: string[];
  /** Whether `files` came from an explicit path. */
  explicit: boolean;
  /** Which file each named cluster/user/context came from (edits go back there). */
  origin: Record<Section, Map<string, string>>;
  /** The file that set current-context, if any. */
  currentContextFile?: string;
  /** The options it was loaded with, to reload after edits. */
  options: LoadKubeconfigOptions;
}

/**
 * Which files make up the kubeconfig, kubectl's way: the explicit path; else every entry of
 * KUBECONFIG (split on ':'), empty entries dropped and duplicates removed; else ~/.kube/config.
 */
export function kubeconfigFiles(options: LoadKubeconfigOptions = {}): { files: string[]; explicit: boolean } {
  if (options.path) return { files: [resolve(options.path)], explicit: true };
  const env = options.env ?? process.env;
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean).map((p) => resolve(p));
  if (fromEnv.length) return { files: [...new Set(fromEnv)], explicit: false };
  return { files: [join(env.HOME || homedir(), '.kube', 'config')], explicit: false };
}

/**
 * Loads and merges kubeconfig files. Merge rules follow clientcmd: for clusters, users and
 * contexts the first file that defines a name wins; the first non-empty current-context
 * wins; missing files in KUBECONFIG are skipped, a missing explicit path is an error.
 */
export function loadKubeconfig(options: LoadKubeconfigOptions = {}): LoadedKubeconfig {
  const { files, explicit } = kubeconfigFiles(options);
  const merged = emptyKubeconfig();
  const origin: LoadedKubeconfig['origin'] = { clusters: new Map(), users: new Map(), contexts: new Map() };
  let currentContextFile: string | undefined;
  const otherKeys = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) {
      if (explicit) throw new Error(`kubeconfig ${file} does not exist`);
      continue;
    }
    const doc = readKubeconfigFile(file);
    for (const section of Object.keys(SECTIONS) as Section[]) {
      for (const entry of doc[section] ?? []) {
        if (!entry?.name || origin[section].has(entry.name)) continue;
        origin[section].set(entry.name, file);
        (merged[section] as unknown[]).push(withResolvedPaths(section, entry, dirname(file)));
      }
    }
    if (!currentContextFile && doc['current-context']) {
      merged['current-context'] = doc['current-context'];
      currentContextFile = file;
    }
    // Other top-level fields (preferences, extensions, …): first file wins, like the named entries.
    for (const [key, value] of Object.entries(doc)) {
      if (key in SECTIONS || key === 'current-context' || key === 'apiVersion' || key === 'kind' || otherKeys.has(key)) continue;
      otherKeys.add(key);
      merged[key] = value;
    }
  }
  return { config: merged, files, explicit, origin, currentContextFile, options };
}

/** Parses one file with YAML 1.1 semantics, as Kubernetes does. */
export function readKubeconfigFile(file: string): Partial<Kubeconfig> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'), { version: '1.1' });
  } catch (error) {
    throw new Error(`kubeconfig ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`kubeconfig ${file}: not a mapping`);
  return parsed as Partial<Kubeconfig>;
}

const PATH_FIELDS: Record<Section, string[]> = {
  clusters: ['certificate-authority'],
  users: ['client-certificate', 'client-key', 'tokenFile'],
  contexts: [],
};

/** File references in a kubeconfig are relative to the file that holds them. */
function withResolvedPaths<E extends { name: string }>(section: Section, entry: E, baseDir: string): E {
  const bodyKey = SECTIONS[section];
  const body = { ...((entry as Record<string, unknown>)[bodyKey] as Record<string, unknown> | undefined) };
  for (const field of PATH_FIELDS[section]) {
    const value = body[field];
    if (typeof value === 'string' && value && !isAbsolute(value)) body[field] = resolve(baseDir, value);
  }
  return { ...entry, [bodyKey]: body };
}
