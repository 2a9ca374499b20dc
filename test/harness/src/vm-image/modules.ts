/** Kernel module bookkeeping for the tiny initramfs: pure, fed with `modules.dep` text. */

/** module name (file stem, e.g. virtio_net) -> its path and the paths it depends on. */
export type ModuleDeps = Map<string, { path: string; deps: string[] }>;

export const moduleName = (path: string): string => path.replace(/^.*\//, '').replace(/\.ko(\.\w+)?$/, '');

/** Parses depmod's `modules.dep` ("kernel/a.ko: kernel/b.ko kernel/c.ko" per line). */
export function parseModulesDep(text: string): ModuleDeps {
  const deps: ModuleDeps = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    const needs = line.slice(colon + 1).trim().split(/\s+/).filter(Boolean);
    deps.set(moduleName(path), { path, deps: needs });
  }
  return deps;
}

/**
 * Module paths to insmod, each after everything it needs, each once. depmod lists a module's
 * dependencies so that modprobe loads them last-to-first; we keep that order for ties.
 */
export function moduleLoadOrder(deps: ModuleDeps, wanted: string[]): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, chain: string[]) => {
    const entry = deps.get(name);
    if (!entry) throw new Error(`kernel module ${name} not found${chain.length ? ` (needed by ${chain.join(' <- ')})` : ''}`);
    if (order.includes(entry.path)) return;
    if (visiting.has(name)) throw new Error(`module dependency cycle: ${[...chain, name].join(' -> ')}`);
    visiting.add(name);
    for (const dep of [...entry.deps].reverse()) visit(moduleName(dep), [...chain, name]);
    visiting.delete(name);
    order.push(entry.path);
  };
  for (const name of wanted) visit(name, []);
  return order;
}

/** Parses `apt-cache depends linux-image-cloud-amd64` for the versioned kernel package. */
export function cloudKernelPackage(aptCacheDepends: string): { pkg: string; version: string } {
  const match = /Depends:\s*(linux-image-(\S+-cloud-amd64))\b/.exec(aptCacheDepends);
  if (!match) throw new Error(`no linux-image-*-cloud-amd64 dependency in: ${aptCacheDepends.trim()}`);
  return { pkg: match[1], version: match[2] };
}
