// A whole cluster on one machine: etcd, a local registry seeded with busybox and the tiny VM
// image, the API server, scheduler and controller-manager (when they exist), and N node
// agents — each in its own network namespace with its own address, like separate hosts.
// Nodes can be stopped, killed, frozen or cut off, and spare ones join later (addNode).
// Everything is torn down at the end.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startApiServer, REPO_ROOT, RunningApiServerHarness, tlsDispatcher } from './apiserver';
import { appArgs, appEnv, hasApp } from './components';
import { caCertHash } from '@coxswain/api';
import { ensureKubeDnsService } from './cluster-dns';
import { startEtcd, RunningEtcd } from './etcd';
import { createHarnessNetwork, HarnessNetwork, HostSpec } from './netns';
import { makeClusterPki } from './pki';
import { ensureEncryptionConfig } from './encryption';
import { freePort } from './ports';
import { hostPort, writePrometheusConfig } from './prometheus-config';
import { ManagedProcess, spawnManaged, waitUntil } from './process';
import { startRegistry, RunningRegistry } from './registry';
import { scrubNode } from './scrub';
import { phaseTimer } from './phase-timer';
import { supervise } from './supervise';
import { buildTinyVmFiles } from './vm-image';
import { seedClusterImages } from './seed';
import { createBootstrapToken, discoverBootstrapKubeconfig, publishClusterInfo, writeBootstrapKubeconfig } from './join';

export interface ClusterOptions {
  nodes?: number;
  /**
   * Nodes prepared but not started (host, token, certificate), named after the others;
   * addNode() starts the next one. Default 0.
   */
  spareNodes?: number;
  /** Where state lives; a temp dir (removed at stop) by default. */
  dir?: string;
  /** Start the scheduler / controller-manager when their code exists (default true). */
  scheduler?: boolean;
  controllers?: boolean;
  /** Seed the tiny VM image and let agents run VMs (default true). */
  vms?: boolean;
  /**
   * Also seed debian:bookworm-slim, nginx and redis, built from Debian packages (default false;
   * the first build takes minutes, later ones come from .fixtures/debian).
   */
  debianImages?: boolean;
  /**
   * Also seed the bootable containerDisk coxswain/debian-disk (GRUB + Debian kernel on a qcow2;
   * default false; built once from Debian packages into .fixtures/vm-disk).
   */
  diskVmImage?: boolean;
  /** Extra flags per component. */
  agentArgs?: string[];
  controllerArgs?: string[];
  schedulerArgs?: string[];
  apiserverPort?: number;
  /** Log level of the components (default warn). */
  logLevel?: string;
  /**
   * Tear the cluster down when this process gets SIGINT/SIGTERM (default true), so a killed test
   * run leaves no containers, VMs or namespaces behind. Callers with their own handler (npm run
   * up) pass false and call stop() themselves.
   */
  handleSignals?: boolean;
  onLog?: (component: string, line: string) => void;
  /**
   * Start a component again when it dies (npm run up; default false so tests that kill one on
   * purpose stay in control). Restarts are reported through onLog.
   */
  supervise?: boolean;
  /**
   * HA control plane: 3 etcd members, 2 API servers, 2 schedulers and 2 controller-managers
   * (leader-elected); every kubeconfig lists both API servers, so clients fail over.
   */
  ha?: boolean;
}

export interface ClusterNode {
  name: string;
  host: HostSpec;
  root: string;
  process(): ManagedProcess | undefined;
  /** SIGTERM and wait (workloads keep running, like a real agent restart). */
  stop(): Promise<void>;
  kill9(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP, resolved once every thread is stopped. */
  freeze(): Promise<void>;
  thaw(): void;
  cutOff(): Promise<void>;
  restore(): Promise<void>;
}

/** What a join command carries: the bootstrap token and the CA public-key pins. */
export interface JoinPieces {
  token: string;
  caCertHashes: string[];
}

export interface RunningCluster {
  dir: string;
  etcd: RunningEtcd;
  api: RunningApiServerHarness;
  /** Every API server (api is the first). */
  apis: RunningApiServerHarness[];
  registry: RunningRegistry;
  network: HarnessNetwork;
  nodes: ClusterNode[];
  /**
   * Starts the next spare node's agent and waits until the node is Ready. `joinWith`: the
   * pieces of a join command (`coxctl token create --print-join-command`) it discovers the
   * cluster with, instead of the harness's own token.
   */
  addNode(joinWith?: JoinPieces): Promise<ClusterNode>;
  kubeconfigPath(role?: Parameters<RunningApiServerHarness['kubeconfigPath']>[0]): string;
  components: Record<string, ManagedProcess>;
  stop(): Promise<void>;
}


export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const count = options.nodes ?? 2;
  const tag = randomBytes(2).toString('hex');
  const dir = options.dir ?? join('/tmp', `cx${tag}`);
  const ownDir = !options.dir;
  await mkdir(dir, { recursive: true });
  const subnet = `10.${randomInt(100, 200)}.${randomInt(1, 250)}`;
  const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
  const components: Record<string, ManagedProcess> = {};
  const phase = phaseTimer(`cluster ${tag} start`);
  const env = { ...process.env, LOG_LEVEL: options.logLevel ?? process.env.COXSWAIN_LOG_LEVEL ?? 'warn' };
  const spawnOnce = (name: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}) => {
    const proc = spawnManaged(cmd, args, { cwd: REPO_ROOT, env: { ...env, ...extraEnv } });
    if (options.onLog) {
      proc.child.stdout?.on('data', (d: Buffer) => options.onLog!(name, d.toString()));
      proc.child.stderr?.on('data', (d: Buffer) => options.onLog!(name, d.toString()));
    }
    return proc;
  };
  const restartLogger = (name: string) => (info: { code: number | null; signal: string | null; delayMs: number; restarts: number }) =>
    (options.onLog ?? ((c: string, l: string) => console.error(`[${c}] ${l}`)))(name, JSON.stringify({ level: 40, msg: `${name} exited (${info.signal ?? `code ${info.code}`}); restarting in ${info.delayMs} ms`, restarts: info.restarts }));
  const spawnComponent = (name: string, cmd: string, args: string[], extraEnv?: Record<string, string>): ManagedProcess =>
    options.supervise ? supervise(() => spawnOnce(name, cmd, args, extraEnv), { onRestart: restartLogger(name) }) : spawnOnce(name, cmd, args, extraEnv);
  let stopped: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.kill(process.pid, signal));
  };
  const stopAll = () => {
    stopped ??= (async () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      const stopping = phaseTimer(`cluster ${tag} stop`);
      for (const cleanup of cleanups.reverse()) {
        await cleanup.run().catch(() => undefined);
        stopping(cleanup.name);
      }
      if (ownDir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      stopping.done();
    })();
    return stopped;
  };
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const network = await createHarnessNetwork(subnet);
    cleanups.push({ name: 'network', run: () => network.destroy() });
    const hosts: HostSpec[] = [];
    for (let i = 1; i <= count + (options.spareNodes ?? 0); i++) hosts.push(await network.addHost(`node-${i}`));
    phase('network');

    const etcd = await startEtcd({
      dataDir: options.dir ? join(dir, 'etcd') : undefined,
      members: options.ha ? 3 : 1,
      onRestart: options.supervise ? (member, info) => restartLogger(member === 'cox' ? 'etcd' : `etcd ${member}`)(info) : undefined,
    });
    cleanups.push({ name: 'etcd', run: () => etcd.stop() });
    phase('etcd');
    const registry = await startRegistry({ listenAddress: network.gateway, dataDir: options.dir ? join(dir, 'registry') : undefined });
    cleanups.push({ name: 'registry', run: () => registry.stop() });
    phase('registry');
    await seedClusterImages(registry.url, { vm: options.vms !== false, debian: options.debianImages === true, diskVm: options.diskVmImage === true });
    phase('images');

    const pki = makeClusterPki(join(dir, 'pki'), [network.gateway, ...hosts.map((h) => h.address)]);
    const nodeNames = hosts.map((h) => h.name);
    const apiPorts = [options.apiserverPort ?? (await freePort())];
    if (options.ha) apiPorts.push(await freePort());
    const apiUrls = apiPorts.map((port) => `https://${network.gateway}:${port}`);
    const apis: RunningApiServerHarness[] = [];
    for (const [i, port] of apiPorts.entries()) {
      const started = await startApiServer({
        etcdEndpoint: etcd.endpoint,
        nodes: nodeNames,
        tokens: apis[0]?.tokens,
        kubeconfigServer: apiUrls.join(','),
        tlsFiles: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
        bindAddress: network.gateway,
        port,
        dir: join(dir, i === 0 ? 'apiserver' : `apiserver-${i + 1}`),
        env,
        onRestart: options.supervise ? restartLogger(i === 0 ? 'apiserver' : `apiserver-${i + 1}`) : undefined,
        args: [
          '--kubelet-certificate-authority', pki.ca, '--kubelet-client-certificate', pki.clientCert, '--kubelet-client-key', pki.clientKey,
          '--encryption-provider-config', ensureEncryptionConfig(pki.dir),
          // Node identity: client certificates from the cluster CA, bootstrap tokens for joining.
          '--client-ca-file', pki.ca, '--enable-bootstrap-token-auth',
        ],
      });
      apis.push(started);
      cleanups.push({ name: `apiserver ${port}`, run: () => started.stop() });
    }
    phase('apiservers');
    const api = apis[0];
    await ensureKubeDnsService(api);
    // kube-public/cluster-info, for token discovery by joining machines.
    if (api.ca) await publishClusterInfo(api, api.url, api.ca);
    phase('dns+cluster-info');

    const metricsPorts: { scheduler: number[]; controllerManager: number[] } = { scheduler: [], controllerManager: [] };
    // With HA, a second instance of each leader-elected component: `<name>-2`.
    const replicas = options.ha ? 2 : 1;
    if (options.scheduler !== false && hasApp('scheduler')) {
      for (let i = 0; i < replicas; i++) {
        const port = await freePort();
        metricsPorts.scheduler.push(port);
        const name = i === 0 ? 'scheduler' : `scheduler-${i + 1}`;
        const proc = spawnComponent(name, process.execPath, [...(await appArgs('scheduler')), '--kubeconfig', api.kubeconfigPath('scheduler'), '--metrics-port', String(port), ...(options.schedulerArgs ?? [])]);
        components[name] = proc;
        cleanups.push({ name, run: () => proc.stop() });
      }
    }
    if (options.controllers !== false && hasApp('controller-manager')) {
      for (let i = 0; i < replicas; i++) {
        const port = await freePort();
        metricsPorts.controllerManager.push(port);
        const name = i === 0 ? 'controller-manager' : `controller-manager-${i + 1}`;
        const proc = spawnComponent(name, process.execPath, [...(await appArgs('controller-manager')), '--kubeconfig', api.kubeconfigPath('controller'), '--metrics-port', String(port), '--cluster-signing-cert-file', pki.ca, '--cluster-signing-key-file', join(pki.dir, 'ca.key'), ...(options.controllerArgs ?? [])]);
        components[name] = proc;
        cleanups.push({ name, run: () => proc.stop() });
      }
    }

    const vmFiles = options.vms === false ? undefined : await buildTinyVmFiles();
    const agentMain = await appArgs('node-agent');
    // One cache of the agents' C helpers for every node and cluster of this machine (built once per source hash).
    const helperBinDir = join(tmpdir(), `coxswain-harness-bin-${process.getuid?.() ?? 0}`);
    await mkdir(helperBinDir, { recursive: true, mode: 0o700 });
    // The first node uses its token from the token file; the others join as a new machine does,
    // with a bootstrap token (TLS bootstrap → their own client certificate). Joining needs the
    // controller-manager's approver and signer.
    const joinToken = hosts.length > 1 && options.controllers !== false && hasApp('controller-manager') ? await createBootstrapToken(api) : undefined;
    const credentialArgs = async (host: HostSpec, index: number, root: string, joinWith?: JoinPieces): Promise<string[]> => {
      if (index === 0 || !joinToken) return ['--kubeconfig', api.kubeconfigPath(`node:${host.name}`), '--tls-cert-file', pki.serverCert, '--tls-private-key-file', pki.serverKey, '--client-ca-file', pki.ca];
      await mkdir(root, { recursive: true });
      // Its own serving certificate too (a kubelet-serving CSR for its addresses), not the shared one.
      // What `coxctl token create --print-join-command` hands out: address, token, CA key hash.
      const bootstrapKubeconfig = join(dir, `${host.name}-bootstrap.kubeconfig`);
      if (api.ca) await discoverBootstrapKubeconfig(bootstrapKubeconfig, { apiUrl: api.url, token: joinWith?.token ?? joinToken, caCertHashes: joinWith?.caCertHashes ?? [caCertHash(api.ca)], timeoutMs: 120_000 });
      else await writeBootstrapKubeconfig(bootstrapKubeconfig, api.url, joinWith?.token ?? joinToken);
      return ['--bootstrap-kubeconfig', bootstrapKubeconfig, '--kubeconfig', join(root, 'kubeconfig'), '--rotate-server-certificates', '--client-ca-file', pki.ca];
    };
    // Spare nodes get theirs when they join (addNode).
    const credentials = await Promise.all(hosts.slice(0, count).map((host, index) => credentialArgs(host, index, join(dir, host.name))));
    phase('components+vm files+join');
    const makeNode = (host: HostSpec, index: number, credentials: string[]): ClusterNode => {
      const root = join(dir, host.name);
      const cgroupParent = `cx${tag}-${host.name}`;
      const netnsPrefix = `cx${tag}n${index + 1}-`;
      let proc: ManagedProcess | undefined;
      const args = [
        '--net=' + `/var/run/netns/${host.netns}`,
        process.execPath, ...agentMain,
        ...credentials,
        '--node-name', host.name,
        '--root', root,
        '--pod-cidr', `10.${200 + (randomInt(0, 50))}.${index + 1}.0/24`,
        '--node-ip', host.address,
        '--grpc-address', `${host.address}:10250`,
        '--metrics-address', host.address,
        '--metrics-port', '10255',
        '--registry-mirror', `docker.io=${registry.url}`,
        '--cgroup-parent', cgroupParent,
        '--netns-prefix', netnsPrefix,
        '--helper-bin-dir', helperBinDir,
        ...(vmFiles ? ['--vm-probe-kernel', vmFiles.kernelPath, '--vm-probe-initrd', vmFiles.initrdPath] : ['--hypervisor', 'none']),
        ...(options.agentArgs ?? []),
      ];
      const node: ClusterNode = {
        name: host.name,
        host,
        root,
        process: () => proc,
        async start() {
          proc = spawnComponent(host.name, 'nsenter', args, appEnv('node-agent'));
          components[host.name] = proc;
        },
        async stop() {
          await proc?.stop(15_000);
        },
        async kill9() {
          proc?.child.kill('SIGKILL');
          await proc?.exited;
        },
        async freeze() {
          await proc?.freeze();
        },
        thaw() {
          proc?.child.kill('SIGCONT');
        },
        cutOff: () => network.cutOff(host),
        restore: () => network.restore(host),
      };
      cleanups.push({ name: host.name, run: async () => {
        node.thaw();
        await node.stop();
        await scrubNode({ root, cgroupParents: [cgroupParent, `${cgroupParent}-vms`], netnsPrefix });
      } });
      return node;
    };
    const nodes: ClusterNode[] = hosts.slice(0, count).map((host, index) => makeNode(host, index, credentials[index]));
    const spares = hosts.slice(count);
    for (const node of nodes) await node.start();
    phase('agents spawned');
    // Ready when every started node reports Ready.
    const allReady = () =>
      waitUntil(
        async () => {
          const res = await request(`${api.url}/api/v1/nodes`, { headers: { authorization: `Bearer ${api.tokens.admin}` }, dispatcher: tlsDispatcher(api.ca!) });
          const list = (await res.body.json()) as { items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> };
          return list.items.length === nodes.length && list.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        },
        120_000,
        () => `nodes ready: ${nodes.map((n) => `${n.name}: ${n.process()?.output().slice(-1500)}`).join('\n')}`,
        250,
      );
    await allReady();
    phase('nodes Ready');
    const addNode = async (joinWith?: JoinPieces): Promise<ClusterNode> => {
      const host = spares.shift();
      if (!host) throw new Error('no spare node left (start the cluster with spareNodes)');
      const node = makeNode(host, nodes.length, await credentialArgs(host, nodes.length, join(dir, host.name), joinWith));
      nodes.push(node);
      await node.start();
      await allReady();
      return node;
    };
    // <dir>/prometheus.yml: every component of this cluster, ready for `prometheus --config.file`.
    await writePrometheusConfig(
      dir,
      {
        // Every instance: with ha, both API servers, all etcd members and both of each leader-elected component.
        apiserver: apis.map((a) => hostPort(a.url)),
        etcd: etcd.endpoints.map(hostPort),
        scheduler: metricsPorts.scheduler.map((p) => `127.0.0.1:${p}`),
        controllerManager: metricsPorts.controllerManager.map((p) => `127.0.0.1:${p}`),
        nodeAgents: hosts.map((h) => `${h.address}:10255`),
        caFile: pki.ca,
        ruleFiles: [join(REPO_ROOT, 'deploy/prometheus/rules.yml')],
      },
      api.tokens.viewer,
    );
    phase.done();
    return { dir, etcd, api, apis, registry, network, nodes, addNode, components, kubeconfigPath: (role = 'admin') => api.kubeconfigPath(role), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

