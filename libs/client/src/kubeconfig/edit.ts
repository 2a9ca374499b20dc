import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { loadKubeconfig, LoadedKubeconfig } from './load';
import { findContext } from './resolve';
import { emptyKubeconfig, Section, SECTIONS } from './types';

/** Field edits: a value sets the field, null removes it, undefined leaves it alone. */
export type FieldEdits = Record<string, string | boolean | number | null | undefined>;

/**
 * The file new entries and current-context go to when nothing says otherwise (clientcmd's
 * GetDefaultFilename): the explicit path, else the first existing KUBECONFIG file (the last
 * one if none exists), else ~/.kube/config.
 */
export function defaultKubeconfigFile(loaded: LoadedKubeconfig): string {
  if (loaded.explicit) return loaded.files[0];
  return loaded.files.find((f) => existsSync(f)) ?? loaded.files[loaded.files.length - 1];
}

/** `config use-context NAME`. Returns the reloaded kubeconfig. */
export function useContext(loaded: LoadedKubeconfig, name: string): LoadedKubeconfig {
  if (!findContext(loaded, name)) throw new Error(`no context exists with the name: "${name}"`);
  const file = loaded.currentContextFile ?? defaultKubeconfigFile(loaded);
  editFile(file, (doc) => doc.set('current-context', name));
  return loadKubeconfig(loaded.options);
}

/** `config set-context NAME --cluster … --user … --namespace …` (creates the context if missing). */
export function setContext(loaded: LoadedKubeconfig, name: string, fields: FieldEdits): LoadedKubeconfig {
  return setEntry(loaded, 'contexts', name, fields);
}

/** `config set-context --current --namespace NS`. */
export function setCurrentNamespace(loaded: LoadedKubeconfig, namespace: string | null): LoadedKubeconfig {
  const current = loaded.config['current-context'];
  if (!current) throw new Error('current-context is not set');
  return setEntry(loaded, 'contexts', current, { namespace });
}

/** `config set-cluster NAME --server … --certificate-authority …`. */
export function setCluster(loaded: LoadedKubeconfig, name: string, fields: FieldEdits): LoadedKubeconfig {
  return setEntry(loaded, 'clusters', name, fields);
}

/** `config set-credentials NAME --token …`. */
export function setUser(loaded: LoadedKubeconfig, name: string, fields: FieldEdits): LoadedKubeconfig {
  return setEntry(loaded, 'users', name, fields);
}

/** `config delete-context|delete-cluster|delete-user NAME`. */
export function deleteEntry(loaded: LoadedKubeconfig, section: Section, name: string): LoadedKubeconfig {
  const file = loaded.origin[section].get(name);
  if (!file) throw new Error(`${SECTIONS[section]} "${name}" does not exist in kubeconfig`);
  editFile(file, (doc) => {
    const seq = doc.get(section);
    if (isSeq(seq)) seq.items = seq.items.filter((item) => !(isMap(item) && item.get('name') === name));
  });
  return loadKubeconfig(loaded.options);
}

/** Edits an entry in the file it came from, or adds it to the default file. */
function setEntry(loaded: LoadedKubeconfig, section: Section, name: string, fields: FieldEdits): LoadedKubeconfig {
  const file = loaded.origin[section].get(name) ?? defaultKubeconfigFile(loaded);
  editFile(file, (doc) => {
    let seq = doc.get(section);
    if (!isSeq(seq)) {
      seq = new YAMLSeq();
      doc.set(section, seq);
    }
    const items = (seq as YAMLSeq).items;
    let entry = items.find((item) => isMap(item) && item.get('name') === name) as YAMLMap | undefined;
    if (!entry) {
      entry = doc.createNode({ name, [SECTIONS[section]]: {} }) as YAMLMap;
      items.push(entry);
    }
    const bodyKey = SECTIONS[section];
    if (!isMap(entry.get(bodyKey))) entry.set(bodyKey, doc.createNode({}));
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (value === null || value === '') entry.deleteIn([bodyKey, field]);
      else entry.setIn([bodyKey, field], value);
    }
  });
  return loadKubeconfig(loaded.options);
}

/**
 * Parses a kubeconfig file as a YAML document (keeping comments, key order and fields we
 * do not know), applies `edit`, and writes it back atomically with mode 0600.
 */
export function editFile(file: string, edit: (doc: Document) => void): void {
  const doc = existsSync(file) ? parseDocument(readFileSync(file, 'utf8'), { version: '1.1' }) : new Document(emptyKubeconfig(), { version: '1.1' });
  if (doc.errors.length) throw new Error(`kubeconfig ${file}: ${doc.errors[0].message}`);
  if (doc.contents === null) doc.contents = doc.createNode(emptyKubeconfig()) as YAMLMap;
  edit(doc);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, doc.toString(), { mode: 0o600 });
  renameSync(tmp, file);
}
