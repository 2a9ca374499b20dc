import { createServer, request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { ManagedProcess, spawnManaged, waitUntil } from './process';

export interface RegistryOptions {
  /** Keep storage here (the launcher); tests leave it to a temp dir removed on stop. */
  dataDir?: string;
  binary?: string;
  startTimeoutMs?: number;
  /** Address to listen on (default 127.0.0.1); a harness bridge address lets node namespaces pull. */
  listenAddress?: string;
  /** Fixed port (default: a free one). */
  port?: number;
  /** htpasswd file contents (bcrypt entries): the registry then requires basic auth. */
  htpasswd?: string;
}

export interface RunningRegistry {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** host:port, as used in image references and mirror configs */
  readonly host: string;
  /** Filesystem storage root (blobs under docker/registry/v2/blobs/sha256/<2>/<hex>/data). */
  readonly dataDir: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Path of a blob's bytes in a filesystem-backed registry (tests tamper with it). */
export function registryBlobPath(dataDir: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(dataDir, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/** Starts Debian's docker-registry (distribution 2.8) on a free loopback port with filesystem storage. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(options: RegistryOptions): Promise<RunningRegistry> {
  const work = await mkdtemp(join(tmpdir(), 'cox-registry-'));
  const dataDir = options.dataDir ?? join(work, 'data');
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const host = `${options.listenAddress ?? '127.0.0.1'}:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    '  redirect:',
    '    disable: true',
    'http:',
    `  addr: ${host}`,
    ...(options.htpasswd ? ['auth:', '  htpasswd:', '    realm: coxswain-test', `    path: ${join(work, 'htpasswd')}`] : []),
    '',
  ].join('\n');
  if (options.htpasswd) await writeFile(join(work, 'htpasswd'), options.htpasswd);
  const configPath = join(work, 'config.yml');
  await writeFile(configPath, config);
  const proc = spawnManaged(options.binary ?? '/usr/bin/docker-registry', ['serve', configPath]);
  const url = `http://${host}`;
  const stop = async () => {
    await proc.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (proc.child.exitCode !== null) throw new Error('docker-registry exited');
        const res = await fetch(`${url}/v2/`);
        return res.ok || (Boolean(options.htpasswd) && res.status === 401);
      },
      options.startTimeoutMs ?? 20_000,
      () => `docker-registry at ${url} did not answer /v2/; output:\n${proc.output()}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host, dataDir, process: proc, stop };
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RecordingProxy {
  readonly url: string;
  readonly host: string;
  /** Every request forwarded so far, in arrival order. */
  readonly requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a registry that records each request (for asserting
 * de-duplication and Range resumes) and can rewrite response bodies (for corruption tests).
 */
export async function startRecordingProxy(
  target: string,
  options: { mutate?: (req: ProxiedRequest, body: Buffer) => Buffer } = {},
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers } };
    requests.push(record);
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        if (!options.mutate) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = options.mutate?.(record, Buffer.concat(chunks)) ?? Buffer.concat(chunks);
          res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(body.length) });
          res.end(body);
        });
      },
    );
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
