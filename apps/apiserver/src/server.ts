// Builds and starts the API server: etcd store, services, router, NestJS HTTP(S) app and
// the namespace lifecycle loop. `main.ts` calls this with flags; tests call it directly.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import pino, { Logger } from 'pino';
import { resourceForKind } from '@coxswain/api';
import { TokenAuthenticator, UserInfo } from './auth/tokens';
import { Authenticator, BootstrapTokenAuthenticator, CertificateAuthenticator, TokenFileAuthenticator, UnionAuthenticator } from './auth/authenticators';
import { toTable } from './discovery';
import { ApiServerModule } from './http/app.module';
import { ResourceController } from './http/resource.controller';
import { routeResourcesDirectly } from './http/fast-path';
import { ApiServerMetrics } from './observability/metrics';
import { ApiRouter } from './rest/api-router';
import { ResourceService } from './rest/resource-service';
import { SubresourceService } from './rest/subresource-service';
import { DEFAULT_WATCH_SETTINGS, WatchService, WatchSettings } from './rest/watch-service';
import { ensureBuiltinNamespaces, NamespaceCleaner } from './rest/namespace-lifecycle';
import { ensureBuiltinStorageClass } from './rest/builtin-storage-class';
import { EtcdObjectStore } from './storage/etcd-object-store';
import { CachedObjectStore } from './storage/cached-object-store';
import { Compactor } from './storage/compactor';
import { loadEncryptionConfiguration } from './storage/encryption';
import { NodeClients } from './proxy/node-clients';
import { streamLogs } from './proxy/logs';
import { MetricsApi } from './proxy/metrics-api';
import { createUpgradeHandler } from './proxy/websocket';
import { createServiceAllocation } from './allocators';
import { hooksByKind } from './rest/write-hooks';
import { HealthCheck } from './http/health-checks';
import { DEFAULT_FLOW_CONTROL, FlowControlSettings, FlowController } from './flowcontrol/flow-control';
import type { PeerWrites } from './workers/write-relay';
import type { Registry } from 'prom-client';

const assertEmpty = (problems: string[], what: string) => {
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
};

export interface ApiServerOptions {
  etcdEndpoints: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  tokenFile?: string;
  /** Replaces the authenticators the options below build (tests). */
  authenticator?: Authenticator;
  /** PEM of the CA client certificates are verified against (Kubernetes' --client-ca-file); needs `tls`. */
  clientCa?: string | Buffer;
  /** Bootstrap tokens (Secrets in kube-system) authenticate as system:bootstrap:<id> (--enable-bootstrap-token-auth). */
  bootstrapTokenAuth?: boolean;
  /** Requests without credentials act as this user (loopback tests only). */
  anonymousAs?: UserInfo;
  logger?: Logger;
  bodyLimit?: number;
  watch?: Partial<WatchSettings>;
  namespaceCleanupIntervalMs?: number;
  /** How often etcd history is compacted (Kubernetes: 5 minutes); 0 turns it off. */
  etcdCompactionIntervalMs?: number;
  /** Overload protection: seats per lane, queues, limits (defaults like Kubernetes'). */
  flowControl?: Partial<FlowControlSettings>;
  /** Mutual TLS to node agents (PEM contents); plain gRPC when absent (loopback tests). */
  nodeAgentTls?: { ca: Buffer; cert: Buffer; key: Buffer };
  /** ClusterIP range (default 10.96.0.0/12) and node port range (default 30000-32767). */
  serviceCidr?: string;
  nodePortRange?: string;
  /** Where pods reach this API server (the `kubernetes` Service's endpoint); default the bind address. */
  advertiseAddress?: string;
  /** Path of an EncryptionConfiguration (Kubernetes' --encryption-provider-config). */
  encryptionProviderConfig?: string;
  /**
   * One worker of several (`--workers N`): listen with SO_REUSEPORT next to the others, tell
   * them about this worker's writes (`peers`), and run the once-per-server loops (namespace
   * cleanup, allocation repair, compaction, built-in objects) only when `singletons`.
   */
  worker?: { peers: PeerWrites; singletons: boolean; scrape?: (registry: Registry) => () => Promise<string> };
}

export interface RunningApiServer {
  url: string;
  port: number;
  app: INestApplication;
  store: EtcdObjectStore;
  metrics: ApiServerMetrics;
  close(): Promise<void>;
}

/** Client certificates, the token file and bootstrap tokens, in Kubernetes' order. */
function authenticatorsFor(options: ApiServerOptions, store: CachedObjectStore, logger: Logger): Authenticator | undefined {
  const chain: Authenticator[] = [];
  if (options.clientCa) {
    if (!options.tls) throw new Error('client certificate authentication (clientCa) needs TLS');
    chain.push(new CertificateAuthenticator());
  }
  if (options.tokenFile) chain.push(new TokenFileAuthenticator(TokenAuthenticator.fromFile(options.tokenFile)));
  if (options.bootstrapTokenAuth) {
    const secrets = resourceForKind('Secret')!;
    chain.push(new BootstrapTokenAuthenticator(async (name) => (await store.get(secrets, 'kube-system', name)) as never, () => new Date(), (reason) => logger.info({ reason }, 'bootstrap token rejected')));
  }
  return chain.length ? new UnionAuthenticator(chain) : undefined;
}

export async function createApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const logger = options.logger ?? pino({ name: 'apiserver', level: process.env.LOG_LEVEL ?? 'info' });
  const metrics = new ApiServerMetrics();
  if (options.worker?.scrape) metrics.scrape = options.worker.scrape(metrics.registry);
  const etcdStore = new EtcdObjectStore({
    endpoints: options.etcdEndpoints,
    observe: (operation, type, seconds) => metrics.etcd.observe({ operation, type }, seconds),
    transformers: options.encryptionProviderConfig ? loadEncryptionConfiguration(options.encryptionProviderConfig) : undefined,
  });
  const store = new CachedObjectStore(etcdStore, options.worker?.peers);
  const singletons = options.worker?.singletons ?? true;
  const services = createServiceAllocation(etcdStore.kv, { serviceCidr: options.serviceCidr, nodePortRange: options.nodePortRange });
  const resources = new ResourceService(store, hooksByKind({ Service: services.hooks }));
  const subresources = new SubresourceService(resources);
  const watches = new WatchService(store, { ...DEFAULT_WATCH_SETTINGS, ...options.watch }, {
    started: (ctx) => metrics.watchers.inc({ group: ctx.resource.group, version: ctx.resource.version, kind: ctx.resource.kind }),
    stopped: (ctx, reason) => {
      metrics.watchers.dec({ group: ctx.resource.group, version: ctx.resource.version, kind: ctx.resource.kind });
      metrics.watchTerminations.inc({ resource: ctx.resource.plural, reason });
    },
  });
  const authenticator = options.authenticator ?? authenticatorsFor(options, store, logger);
  const nodes = new NodeClients(store, options.nodeAgentTls);
  const labelsIn = async (namespace: string | undefined) => {
    const out = new Map<string, Record<string, string>>();
    for (const kind of ['Pod', 'VirtualMachineInstance']) {
      for (const item of (await store.list(resourceForKind(kind)!, { namespace })).items) out.set(`${item.metadata.namespace}/${item.metadata.name}`, item.metadata.labels ?? {});
    }
    return out;
  };
  const router = new ApiRouter({
    resources,
    subresources,
    watches,
    authenticator,
    anonymousAs: options.anonymousAs,
    renderTable: toTable,
    bodyLimit: options.bodyLimit,
    logs: (pod, query, res) => streamLogs(pod, query, nodes, res),
    metrics: new MetricsApi(nodes, labelsIn),
  });
  const flow = new FlowController({ ...DEFAULT_FLOW_CONTROL, ...options.flowControl }, { rejected: (lane, reason) => metrics.flowRejected.inc({ priority_level: lane, reason }) });
  metrics.flowSource = () => flow.usage();
  let serving = true;
  // Kubernetes' poststarthook/bootstrap-controller: not ready until the built-in objects
  // (namespaces, the `kubernetes` Service) are written, so a client that waits for /readyz never
  // races them. Only the singleton process writes them; other workers start after it did.
  let bootstrapped = !singletons;
  const ping: HealthCheck = { name: 'ping', check: () => undefined };
  const etcd: HealthCheck = { name: 'etcd', check: async () => void (await etcdStore.currentRevision()) };
  const health = {
    livez: [ping, etcd],
    readyz: [
      ping,
      etcd,
      { name: 'informer-sync', check: () => assertEmpty(store.unsynced(), 'watch cache not synced') },
      { name: 'poststarthook/bootstrap-controller', check: () => assertEmpty(bootstrapped ? [] : ['built-in objects not written yet'], 'bootstrap') },
      { name: 'shutdown', check: () => assertEmpty(serving ? [] : ['shutting down'], 'shutdown') },
    ],
  };

  if (singletons) {
    await ensureBuiltinNamespaces(store);
    await ensureBuiltinStorageClass(store);
  }
  const app = await NestFactory.create(ApiServerModule.forRoot({ router, metrics, logger, health, flow }), {
    bodyParser: false,
    logger: false,
    // A client certificate is asked for but not required: token clients connect without one.
    httpsOptions: options.tls ? { cert: options.tls.cert, key: options.tls.key, ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: false } : {}) } : undefined,
  });
  const host = options.host ?? '127.0.0.1';
  const server = app.getHttpServer() as Server;
  // Express would add `X-Powered-By: Express` to what still goes through it; Kubernetes sends no such header.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  const resourceController = app.get(ResourceController);
  routeResourcesDirectly(server, (req, res) => resourceController.serve(req, res));
  if (options.worker) {
    // Each worker binds its own socket on the shared port; the kernel spreads connections.
    await app.init();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: options.port ?? 0, host, reusePort: true, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } else {
    await app.listen(options.port ?? 0, host);
  }
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // watches are long-lived
  const upgrade = createUpgradeHandler({ store, nodes, authenticate: (req) => router.authenticate(req) });
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;

  const cleaner = new NamespaceCleaner(
    store,
    async (kind, namespace, name) => {
      const resource = resourceForKind(kind)!;
      await resources.delete(
        { info: { isResourceRequest: true, path: '', verb: 'delete', group: resource.group, version: resource.version, namespace, resource: resource.plural, name, rest: [] }, resource, user: { name: 'system:namespace-controller', uid: 'ns', groups: [], role: 'controller' }, query: new URLSearchParams(), now: new Date(), warnings: [] },
        { propagationPolicy: 'Background' },
      );
    },
    logger,
    options.namespaceCleanupIntervalMs,
  );
  if (singletons) {
    cleaner.start();
    await services.ensureKubernetesService(resources, store, port, options.advertiseAddress ?? host);
    services.startRepair(store, logger);
    bootstrapped = true;
  }
  const compactor = new Compactor(etcdStore.kv, {
    intervalMs: options.etcdCompactionIntervalMs ?? 5 * 60_000,
    logger,
    observer: {
      compacted: () => metrics.compactions.inc(),
      defragmented: () => metrics.defragmentations.inc(),
      size: (bytes) => metrics.dbSize.set(bytes),
      alarms: (active) => {
        metrics.alarms.reset();
        for (const alarm of active) metrics.alarms.set({ alarm }, 1);
      },
    },
  });
  if (singletons) compactor.start();
  logger.info({ url, worker: options.worker ? { singletons } : undefined }, 'apiserver listening');

  return {
    url,
    port,
    app,
    store: etcdStore,
    metrics,
    async close() {
      serving = false;
      cleaner.stop();
      services.stop();
      await compactor.stop();
      nodes.close();
      server.closeAllConnections?.();
      await app.close();
      await store.close();
    },
  };
}
