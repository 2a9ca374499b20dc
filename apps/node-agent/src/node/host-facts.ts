import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import { HostFacts } from './node-object';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

async function meminfoAvailable(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8');
  const kb = /MemAvailable:\s+(\d+)/.exec(text)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

async function osImage(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /PRETTY_NAME="?([^"\n]+)"?/.exec(text)?.[1] ?? 'Linux';
}

async function pids(): Promise<{ inUse: number; max: number }> {
  const max = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim());
  const loadavg = await readFile('/proc/loadavg', 'utf8');
  const inUse = Number(/\d+\/(\d+)/.exec(loadavg)?.[1] ?? 0);
  return { inUse, max };
}

/** First non-internal IPv4 address, unless one is given. */
export function primaryIPv4(preferred?: string): string {
  if (preferred) return preferred;
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Reads the facts the Node object needs from this host (or the agent's network namespace). */
export async function readHostFacts(dataDir: string, internalIP?: string): Promise<HostFacts> {
  const fs = await statfs(dataDir);
  const p = await pids();
  return {
    hostname: hostname(),
    internalIP: primaryIPv4(internalIP),
    cpuMillis: cpus().length * 1000,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: fs.blocks * fs.bsize,
    kernelVersion: release(),
    osImage: await osImage(),
    architecture: ARCH[arch()] ?? arch(),
    memoryAvailableBytes: await meminfoAvailable(),
    diskAvailableBytes: fs.bavail * fs.bsize,
    pidsInUse: p.inUse,
    pidMax: p.max,
  };
}
