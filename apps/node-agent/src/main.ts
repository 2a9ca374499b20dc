// coxswain node agent: registers this node and runs the Pods and VMIs bound to it.
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { clientFromKubeconfig, createLogger, onShutdown, serveHealthAndMetrics, SharedInformerFactory } from '@coxswain/client';
import { NodeAgentServer, startNodeAgentServer } from '@coxswain/proto/server';
import { ContainerDriver, DhcpServer, DirectSpawner, HelperSpawner, ImageLimits, ImageStore, insecureHosts, oomScoreAdjFloor, PodCgroups, PodNetwork, PodRoutes, RegistryConfig, setDefaultSpawner, VmDriver } from '@coxswain/runtime';
import { cpuMillis, memoryBytes } from '@coxswain/api/browser';
import { NodeAgent } from './agent/node-agent';
import { DEFAULT_MAX_PARALLEL_STARTS } from './sync/termination';
import { grpcHandlers } from './agent/grpc-api';
import { createAgentMetrics } from './agent/metrics';
import { readHostFacts } from './node/host-facts';
import { HypervisorKind } from './node/node-object';
import { RuncPodRuntime } from './runtime/pod-runtime';
import { PodRuntime } from './runtime-port';
import { QemuVmRuntime } from './runtime/vm-runtime';
import { NodeServices, startNodeServices } from './proxy/node-services';
import { RouteReconciler } from './routes/route-reconciler';
import { informerServices } from './agent/service-links';
import { ConfigFetcher } from './volumes/config-fetcher';
import { credentialsForImage, registerPullCredentials } from './images/pull-secrets';
import { PodConfig } from './volumes/pod-config';
import { ClaimVolumes } from './storage/claim-volumes';
import { DataVolumeImporter } from './storage/data-volume-import';
import { claimDisk } from './runtime/vm-claim-disk';
import { LocalDisks } from './storage/local-disk';
import { LocalProvisioner } from './storage/local-provisioner';
import { startImageGc } from './images/start-image-gc';
import { readLog } from './logs/cri-log';
import { NodeAllocatable } from './env/resolve-env';
import { bootstrapClientCertificate } from './certificates/bootstrap';
import { ClientCertificateRotation, ensureServingPair, SERVING_PAIR_FILE, ServingCertificateRotation } from './certificates/rotation';

/**
 * Requests the agent keeps in flight to the API server, on as many keep-alive connections (the
 * client's default is 64): a node stopping 110 pods at once opened up to 64 TLS connections, a
 * handshake each on both ends, for a burst one API server answers no faster.
 */
const AGENT_MAX_CONCURRENT_REQUESTS = 16;

/** A true/false flag value, as Go's flag package takes `--name=false`. */
function parseBoolFlag(name: string, value: string): boolean {
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function flags() {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string', default: process.env.KUBECONFIG },
      // TLS bootstrap (kubelet flags): a token kubeconfig to get this node's own client certificate.
      'bootstrap-kubeconfig': { type: 'string' },
      // Callers of the gRPC API must present a certificate with one of these common names (the API server's).
      'authorized-client-name': { type: 'string', multiple: true, default: ['kube-apiserver-kubelet-client'] },
      // The gRPC serving certificate comes from a kubelet-serving CSR for this node's addresses.
      'rotate-server-certificates': { type: 'boolean', default: false },
      'node-name': { type: 'string', default: process.env.COXSWAIN_NODE_NAME },
      root: { type: 'string' },
      'pod-cidr': { type: 'string', default: '10.88.0.0/24' },
      bridge: { type: 'string', default: 'cox0' },
      'node-ip': { type: 'string' },
      'registry-mirror': { type: 'string', multiple: true, default: [] },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      'grpc-address': { type: 'string', default: '127.0.0.1:10250' },
      'metrics-port': { type: 'string', default: '10255' },
      'metrics-address': { type: 'string', default: '127.0.0.1' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'system-reserved': { type: 'string', default: 'cpu=100m,memory=256Mi' },
      'max-pods': { type: 'string', default: '110' },
      'lease-interval-ms': { type: 'string', default: '5000' },
      'lease-duration-seconds': { type: 'string', default: '20' },
      'sync-interval-ms': { type: 'string', default: '1000' },
      'max-parallel-pod-starts': { type: 'string', default: String(DEFAULT_MAX_PARALLEL_STARTS) },
      'crash-loop-backoff-initial-ms': { type: 'string', default: '10000' },
      'helper-bin-dir': { type: 'string' },
      hypervisor: { type: 'string', default: 'auto' },
      'vm-probe-kernel': { type: 'string' },
      'vm-probe-initrd': { type: 'string' },
      'veth-prefix': { type: 'string' },
      'netns-prefix': { type: 'string' },
      'cgroup-parent': { type: 'string' },
      'seccomp-dir': { type: 'string' },
      'pod-max-pids': { type: 'string', default: '4096' },
      // Pull size bounds (quantities such as 4Mi, 10Gi); defaults in DEFAULT_IMAGE_LIMITS.
      'max-manifest-size': { type: 'string' },
      'max-config-size': { type: 'string' },
      'max-layer-size': { type: 'string' },
      'max-layer-uncompressed-size': { type: 'string' },
      // Service proxy and cluster DNS (kubelet / kube-proxy flag names where they exist).
      // How host commands are forked: `helper` (coxspawn, off the event loop) or `direct`
      // (Node's child_process, for comparison).
      spawner: { type: 'string', default: 'helper' },
      'cluster-dns': { type: 'string', default: '10.96.0.10' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
      'cluster-dns-port': { type: 'string', default: '53' },
      'cluster-cidr': { type: 'string' },
      'resolv-conf': { type: 'string', default: '/etc/resolv.conf' },
      'iptables-min-sync-period-ms': { type: 'string', default: '50' },
      'service-proxy': { type: 'boolean', default: true },
      // kube-proxy's --iptables-localhost-nodeports: NodePorts also on 127.0.0.1 (=false turns it off).
      'localhost-nodeports': { type: 'string', default: 'true' },
      // The built-in local provisioner (coxswain.io/local) and the space its volumes may take.
      'local-provisioner': { type: 'boolean', default: true },
      'local-storage-capacity': { type: 'string' },
      // The kubelet's image GC thresholds (percent of the image filesystem); 100 turns it off.
      'image-gc-high-threshold': { type: 'string', default: '85' },
      'image-gc-low-threshold': { type: 'string', default: '80' },
    },
  });
  if (!values['node-name']) throw new Error('--node-name is required');
  return values;
}

/** --max-*-size flags → the image store's limits (unset flags keep the defaults). */
function imageLimits(f: ReturnType<typeof flags>): Partial<ImageLimits> {
  const size = (v: string | boolean | string[] | undefined) => (typeof v === 'string' ? memoryBytes(v) : undefined);
  const limits: Partial<ImageLimits> = {
    maxManifestBytes: size(f['max-manifest-size']),
    maxConfigBytes: size(f['max-config-size']),
    maxLayerBytes: size(f['max-layer-size']),
    maxUncompressedBytes: size(f['max-layer-uncompressed-size']),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/** `docker.io=http://127.0.0.1:5000` pairs → containerd-style mirror map. */
function mirrorsOf(list: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of list) {
    const [host, url] = entry.split('=');
    if (!host || !url) throw new Error(`--registry-mirror expects host=url, got "${entry}"`);
    (out[host] ??= []).push(url);
  }
  return out;
}

/** Records pull and start latencies around the runtime calls. */
function timedRuntime(runtime: RuncPodRuntime, metrics: ReturnType<typeof createAgentMetrics>): PodRuntime {
  const timed = async <T>(observe: (seconds: number) => void, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    observe((performance.now() - start) / 1000);
    return result;
  };
  return {
    listPods: () => runtime.listPods(),
    createSandbox: (pod) => timed((s) => metrics.startSeconds.observe({ kind: 'sandbox' }, s), () => runtime.createSandbox(pod)),
    pullImage: (image, pod) => timed((s) => metrics.pullSeconds.observe(s), () => runtime.pullImage(image, pod)),
    startContainer: (pod, name, attempt) => timed((s) => metrics.startSeconds.observe({ kind: 'container' }, s), () => runtime.startContainer(pod, name, attempt)),
    killContainer: (id, grace) => runtime.killContainer(id, grace),
    removeContainer: (id) => runtime.removeContainer(id),
    removePod: (uid, grace) => runtime.removePod(uid, grace),
    onChange: (listener) => runtime.onChange(listener),
    changesWatched: () => runtime.changesWatched(),
    volumeUsageBytes: (uid, volume) => runtime.volumeUsageBytes(uid, volume),
    containerStorageBytes: (uid, instance) => runtime.containerStorageBytes(uid, instance),
  };
}

function reserved(text: string): { cpuMillis: number; memoryBytes: number } {
  const pairs = Object.fromEntries(text.split(',').filter(Boolean).map((p) => p.split('=')));
  return { cpuMillis: cpuMillis(pairs.cpu ?? '0'), memoryBytes: memoryBytes(pairs.memory ?? '0') };
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Whole-machine usage: cumulative busy CPU time and memory in use (total − available). */
async function nodeUsage(): Promise<{ cpuUsageNanoseconds: number; memoryWorkingSetBytes: number }> {
  const mem = (await readFile('/proc/meminfo', 'utf8')).match(/MemTotal:\s+(\d+)[\s\S]*MemAvailable:\s+(\d+)/);
  return { cpuUsageNanoseconds: await cpuNanos(), memoryWorkingSetBytes: mem ? (Number(mem[1]) - Number(mem[2])) * 1024 : 0 };
}

async function cpuNanos(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = line[0] + line[1] + line[2] + line[5] + line[6] + line[7];
  return Math.round((busy / 100) * 1e9);
}

async function main(): Promise<void> {
  const f = flags();
  const nodeName = f['node-name']!;
  const logger = createLogger('node-agent');
  const root = f.root ?? `/var/lib/coxswain/${nodeName}`;
  await mkdir(root, { recursive: true });
  let rotation: ClientCertificateRotation | undefined;
  if (f['bootstrap-kubeconfig']) {
    if (!f.kubeconfig) throw new Error('--bootstrap-kubeconfig needs --kubeconfig: the path to write the node\'s own kubeconfig to');
    const pairFile = await bootstrapClientCertificate({ nodeName, bootstrapKubeconfig: f['bootstrap-kubeconfig'], kubeconfig: f.kubeconfig, logger });
    // Connections opened with the old certificate are closed once the new one is in (the kubelet does the same).
    rotation = new ClientCertificateRotation({ nodeName, kubeconfig: f.kubeconfig, pairFile, logger, onRotated: () => void client.rotateConnections() });
  }
  const { client } = clientFromKubeconfig({ path: f.kubeconfig, client: { maxConcurrentRequests: AGENT_MAX_CONCURRENT_REQUESTS, ...(rotation ? { clientCertificate: () => rotation!.current() } : {}) } });
  rotation?.start(client);
  const mirrors = mirrorsOf(f['registry-mirror'] as string[]);
  // Only http:// mirrors and --insecure-registry hosts skip TLS; https mirrors are verified.
  // One RegistryConfig object: the registry client reads `auths` from it when a registry asks
  // for credentials, and imagePullSecrets are registered into it before a pod's pull.
  const registryConfig: RegistryConfig = { mirrors, insecure: insecureHosts(mirrors, f['insecure-registry'] as string[]), auths: {} };
  const images = new ImageStore({ root: join(root, 'images'), registry: registryConfig, limits: imageLimits(f) });
  const cgroupParent = f['cgroup-parent'] ?? `coxswain-${nodeName}`;
  // Host commands (ip, iptables, runc, mount, qemu-img…) go through one small helper process
  // that forks them, so the agent's loop never blocks in fork/exec (libs/runtime/src/proc).
  if (f.spawner !== 'helper' && f.spawner !== 'direct') throw new Error(`--spawner must be helper or direct, got ${JSON.stringify(f.spawner)}`);
  // coxspawn and coxshim are compiled from C once per source hash and cached; --helper-bin-dir
  // shares that cache between agents of one machine (the harness's nodes), each build atomic.
  const sharedBinDir = f['helper-bin-dir'] as string | undefined;
  const helperBinDir = sharedBinDir ?? join(root, 'bin');
  setDefaultSpawner(f.spawner === 'direct' ? new DirectSpawner() : new HelperSpawner({
    binDir: helperBinDir,
    onEvent: ({ kind, detail }) => (kind === 'started' ? logger.info({ detail }, 'spawn helper started') : logger.warn({ detail }, `spawn helper ${kind}`)),
  }));
  const containers = new ContainerDriver({ root: join(root, 'containers'), shimDir: sharedBinDir, cgroupParent, logRoot: join(root, 'logs'), logger });
  await containers.init();
  const network = new PodNetwork({ stateDir: join(root, 'network'), bridge: f.bridge, podCidr: f['pod-cidr'], netnsPrefix: f['netns-prefix'] ?? `cox-${nodeName}-`, vethPrefix: f['veth-prefix'], hostPortChain: `COX-HP-${nodeName}`.slice(0, 28) });
  await network.ensureBridge();
  // Pod traffic to other nodes' pods is routed without NAT; only traffic leaving the cluster is masqueraded.
  const podRoutes = new PodRoutes({ podCidr: f['pod-cidr']!, bridge: network.bridge });
  await network.disableEgress();
  await podRoutes.ensureRules([]).catch((error) => logger.warn({ err: error }, 'egress masquerade not enabled'));

  let hypervisor: HypervisorKind = 'none';
  let vms: VmDriver | undefined;
  if (f.hypervisor !== 'none') {
    const probe = f['vm-probe-kernel'] ? { kernelPath: f['vm-probe-kernel'], initrdPath: f['vm-probe-initrd'] } : undefined;
    vms = new VmDriver({ root: join(root, 'v'), accel: f.hypervisor === 'auto' ? (probe ? 'auto' : 'tcg') : (f.hypervisor as 'kvm' | 'tcg'), probe, cgroupParent: `${cgroupParent}-vms`, logger });
    try {
      hypervisor = await vms.accel();
    } catch (error) {
      logger.warn({ err: error }, 'no usable QEMU: this node runs no VMs');
      vms = undefined;
    }
  }

  const holder: { agent?: NodeAgent; server?: NodeAgentServer } = {};
  const metrics = createAgentMetrics(containers, vms);
  // Host IP and allocatable for the downward API, as registered on the Node; pods live in the
  // kubelet's QoS hierarchy under the node's cgroup parent, kubepods capped at allocatable.
  const startFacts = await readHostFacts(root, f['node-ip']);
  const systemReserved = reserved(f['system-reserved']!);
  const allocatable = { cpuMillis: Math.max(0, startFacts.cpuMillis - systemReserved.cpuMillis), memoryBytes: Math.max(0, startFacts.memoryBytes - systemReserved.memoryBytes) };
  const podCgroups = new PodCgroups({ parent: cgroupParent, allocatable, podPidsLimit: Number(f['pod-max-pids']) });
  const [, grpcPortText] = (f['grpc-address'] as string).split(/:(?=\d+$)/);
  const disks = new LocalDisks(join(root, 'local-volumes'));
  const localStorageBytes = f['local-provisioner'] ? (f['local-storage-capacity'] ? memoryBytes(f['local-storage-capacity']) : await LocalDisks.capacityOf(disks.root)) : undefined;
  // One informer per resource for the whole agent (libs/client's factory), stopped at shutdown.
  const informers = new SharedInformerFactory({ client, logger });
  const fetcher = new ConfigFetcher(client);
  const provisioner = f['local-provisioner'] ? new LocalProvisioner({ client, nodeName, disks, logger, informers }) : undefined;
  const claimVolumes = new ClaimVolumes({ client, nodeName, ensureMounted: (name) => disks.ensureMounted(name), onUnbound: (namespace, claim) => provisioner?.want(namespace, claim) });
  // What resourceFieldRef limits default to: the allocatable the Node advertises (ephemeral-storage is its filesystem's size, as registered).
  const nodeAllocatable: NodeAllocatable = { cpu: `${allocatable.cpuMillis}m`, memory: String(allocatable.memoryBytes), 'ephemeral-storage': String(startFacts.ephemeralStorageBytes) };
  const podConfig = new PodConfig({
    claims: claimVolumes,
    fetcher,
    services: informerServices(informers),
    hostIP: () => startFacts.internalIP,
    nodeAllocatable: () => nodeAllocatable,
    podFor: (uid) => holder.agent?.podByUid(uid),
    warn: (message, error) => logger.warn({ err: error }, message),
    event: (uid, reason, message) => holder.agent?.event(uid, 'Warning', reason, message),
  });
  const pods = new RuncPodRuntime({ root: join(root, 'pods'), images, containers, network, logRoot: join(root, 'logs'), podFor: (uid) => holder.agent?.podByUid(uid), podConfig,
    podCgroups, memoryCapacityBytes: startFacts.memoryBytes, oomScoreAdjFloor: await oomScoreAdjFloor(),
    seccompDir: f['seccomp-dir'] ?? join(root, 'seccomp'), reservedHostPorts: [Number(grpcPortText), Number(f['metrics-port'])],
    dns: f['cluster-dns'] ? { clusterDNS: f['cluster-dns'].split(','), clusterDomain: f['cluster-domain']!, resolvConfPath: f['resolv-conf']! } : undefined,
    pullCredentials: async (pod, image) => {
      const names = (pod.spec.imagePullSecrets ?? []).map((s) => (s as { name?: string }).name).filter((n): n is string => Boolean(n));
      const objects = await fetcher.objects(pod.metadata.namespace ?? 'default', { secrets: new Set(names), configMaps: new Set() });
      // Missing pull secrets are skipped, as the kubelet does (the pull may still work anonymously).
      const secrets = names.map((n) => objects.secrets.get(n)).filter((s): s is NonNullable<typeof s> => Boolean(s));
      const creds = credentialsForImage(image, secrets);
      if (creds) registerPullCredentials(registryConfig, image, creds);
    },
  });
  await pods.init();
  const dhcp = vms ? new DhcpServer({ warn: (message, error) => logger.warn({ err: error }, message) }) : undefined;
  await dhcp?.start();
  const importer = new DataVolumeImporter({ client, images, logger });
  const vmRuntime = vms ? new QemuVmRuntime({ images, vms, ipam: network.allocator, bridge: network.bridge, vmiFor: (uid) => holder.agent?.vmiByUid(uid), qosCgroupParent: cgroupParent, dhcp,
    configObjects: (namespace, refs) => fetcher.objects(namespace, refs),
    claimDisk: async (namespace, volume, claimName) => {
      const { path, capacityBytes, claim } = await claimVolumes.volumeFor(namespace, volume, claimName);
      await importer.ensureImported(claim, path, capacityBytes);
      return claimDisk(path, capacityBytes);
    },
    dns: f['cluster-dns'] ? { clusterDNS: f['cluster-dns'].split(','), clusterDomain: f['cluster-domain']!, resolvConfPath: f['resolv-conf']! } : undefined }) : undefined;
  const [grpcHost, grpcPort] = (f['grpc-address'] as string).split(/:(?=\d+$)/);
  let tls = f['tls-cert-file'] ? { cert: readFileSync(f['tls-cert-file']), key: readFileSync(f['tls-private-key-file'] ?? ''), ca: f['client-ca-file'] ? readFileSync(f['client-ca-file']) : undefined } : undefined;
  const agent = new NodeAgent({
    client,
    informers,
    config: {
      nodeName,
      podCIDR: f['pod-cidr']!,
      maxPods: Number(f['max-pods']),
      hypervisor,
      systemReserved: reserved(f['system-reserved']!),
      agentPort: Number(grpcPort),
      localStorageBytes,
    },
    facts: () => readHostFacts(root, f['node-ip']),
    pods: timedRuntime(pods, metrics),
    vms: vmRuntime,
    exec: async (id, command, timeoutMs) => (await containers.execCapture(id, command, timeoutMs)).exitCode,
    presentImages: async () => (await images.list()).map((i) => i.ref),
    onRunning: (kind, seconds) => metrics.startLatency.observe({ kind }, seconds),
    // The host file bind-mounted at terminationMessagePath (its path is the runtime's, by id),
    // and the log tail for FallbackToLogsOnError.
    terminationMessages: {
      file: (id) => pods.readTerminationMessage(id),
      logTail: async (id, lines, maxBytes) => (await readLog(await containers.logPath(id), { tailLines: lines, limitBytes: maxBytes })).text,
    },
    logger,
    settings: {
      syncIntervalMs: Number(f['sync-interval-ms']),
      maxParallelStarts: positiveInt(f['max-parallel-pod-starts']!, '--max-parallel-pod-starts'),
      leaseIntervalMs: Number(f['lease-interval-ms']),
      leaseDurationSeconds: Number(f['lease-duration-seconds']),
      backoff: { initialMs: Number(f['crash-loop-backoff-initial-ms']), maxMs: 300_000, resetAfterMs: 600_000 },
    },
  });
  holder.agent = agent;
  // The service proxy, cluster DNS and pod routes start beside the agent, not before it: pods
  // already running are adopted without waiting for their informers and first iptables syncs.
  const nodeServicesStarting: Promise<NodeServices | undefined> = f['service-proxy'] ? startNodeServices({
    client, logger, registry: metrics.registry, nodeName, informers,
    clusterDnsIP: f['cluster-dns']!.split(',')[0], clusterDomain: f['cluster-domain']!, dnsListenIP: network.gateway, dnsPort: Number(f['cluster-dns-port']),
    resolvConf: f['resolv-conf']!, clusterCidr: f['cluster-cidr'] ?? f['pod-cidr'], localhostNodePorts: parseBoolFlag('--localhost-nodeports', f['localhost-nodeports'] as string), proxySettings: { minSyncIntervalMs: Number(f['iptables-min-sync-period-ms']) },
  }) : Promise.resolve(undefined);
  // In the background: registering the node does not wait for the provisioner's caches (pods
  // mount their claims' volumes through `disks` directly, idempotently).
  provisioner?.start().catch((error) => logger.warn({ err: error }, 'local provisioner did not start'));
  const routes = new RouteReconciler({ client, nodeName, routes: podRoutes, logger, informers });
  const [nodeServices] = await Promise.all([nodeServicesStarting, agent.start(), routes.start()]);
  // Mounted ConfigMaps/Secrets follow their objects (the kubelet's periodic volume sync).
  let refreshing = false;
  const refresh = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    pods.refreshConfigVolumes().catch((error) => logger.warn({ err: error }, 'config volume refresh failed')).finally(() => { refreshing = false; });
  }, 2000);
  refresh.unref();
  const imageGc = startImageGc(f, images, () => holder.agent?.boundWorkloads() ?? [], logger);

  let servingRotation: ServingCertificateRotation | undefined;
  if (f['rotate-server-certificates']) {
    if (!f['client-ca-file']) throw new Error('--rotate-server-certificates needs --client-ca-file (the CA that signs the API server\'s client certificate)');
    const addresses = async () => {
      const facts = await readHostFacts(root, f['node-ip']);
      return { dnsNames: [facts.hostname], ipAddresses: [facts.internalIP] };
    };
    const pairFile = join(dirname(f.kubeconfig ?? join(root, 'kubeconfig')), 'pki', SERVING_PAIR_FILE);
    // A restart keeps a still valid pair, as the kubelet does; otherwise a kubelet-serving CSR now.
    await ensureServingPair(client, { nodeName, pairFile, addresses, logger });
    servingRotation = new ServingCertificateRotation({
      nodeName,
      pairFile,
      addresses,
      logger,
      // New connections from the API server get the new pair; exec/attach/logs streams in flight keep theirs.
      onRotated: (pair) => holder.server?.update({ cert: Buffer.from(pair.cert), key: Buffer.from(pair.key) }),
    });
    const pair = servingRotation.current();
    tls = { cert: Buffer.from(pair.cert), key: Buffer.from(pair.key), ca: readFileSync(f['client-ca-file']) };
  }
  if (tls && !tls.ca) throw new Error('--tls-cert-file needs --client-ca-file (the CA that signs the API server\'s client certificate)');
  const server = await startNodeAgentServer({
    address: `${grpcHost}:${grpcPort}`,
    tls: tls?.ca ? { ...tls, ca: tls.ca } : undefined,
    // With TLS, only the API server's identity may call (mutual TLS alone would admit any node).
    allowedClientNames: f['authorized-client-name'] as string[],
    handlers: grpcHandlers({ agent, containers, vms, nodeName, nodeUsage }),
  });
  holder.server = server;
  servingRotation?.start(client);
  const health = await serveHealthAndMetrics({ port: Number(f['metrics-port']), host: f['metrics-address'], registry: metrics.registry, ready: () => agent.isReady, healthy: () => nodeServices?.healthy() ?? true });
  logger.info({ node: nodeName, grpc: f['grpc-address'], metrics: health.url, hypervisor }, 'node agent ready');

  // Workloads keep running when the agent stops; a new agent adopts them.
  onShutdown(async () => {
    rotation?.stop();
    servingRotation?.stop();
    await routes.stop();
    clearInterval(refresh);
    clearInterval(imageGc);
    await agent.stop();
    containers.closeWatches();
    await provisioner?.stop();
    dhcp?.stop();
    await nodeServices?.stop();
    await informers.stop();
    await server.close();
    await health.close();
  });
}

main().catch((error) => {
  console.error(JSON.stringify({ level: 60, msg: 'node agent failed', err: String(error?.stack ?? error) }));
  process.exit(1);
});
