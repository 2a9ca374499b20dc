// The node API the API server proxies to: container logs (tail/follow/previous), exec with
// stdin/tty/resize, VM serial console, and usage stats for the metrics API.
import { ConsoleInput, ConsoleOutput, ExecInput, ExecOutput, LogChunk, LogsRequest, NodeAgentHandlers, StatsResponse, Status, WorkloadStats } from '@coxswain/proto/server';
import { CONTAINER_LABELS, ContainerDriver, VmDriver } from '@coxswain/runtime';
import { followLog, readLog } from '../logs/cri-log';
import { NodeAgent } from './node-agent';
import { fail, instances } from './instances';
import { attachHandler, portForwardHandler } from './stream-handlers';

export interface GrpcApiDeps {
  agent: NodeAgent;
  containers: ContainerDriver;
  vms?: VmDriver;
  nodeName: string;
  /** Node-level usage (whole machine). */
  nodeUsage(): Promise<{ cpuUsageNanoseconds: number; memoryWorkingSetBytes: number }>;
}

export function grpcHandlers(deps: GrpcApiDeps): NodeAgentHandlers {
  return {
    logs: (call) => {
      void (async () => {
        const req: LogsRequest = call.request;
        try {
          const { name, mine } = await instances(deps, req.pod.namespace, req.pod.name, req.container);
          const target = req.previous ? mine[1] : mine[0];
          if (!target) throw fail(Status.INVALID_ARGUMENT, `previous terminated container "${name}" in pod "${req.pod.name}" not found`);
          const path = await deps.containers.logPath(target.id);
          const query = {
            tailLines: req.tailLines !== undefined && req.tailLines !== null && req.tailLines !== '' && Number(req.tailLines) >= 0 ? Number(req.tailLines) : undefined,
            sinceTime: req.sinceSeconds && Number(req.sinceSeconds) > 0 ? Date.now() - Number(req.sinceSeconds) * 1000 : undefined,
            timestamps: req.timestamps,
            limitBytes: req.limitBytes ? Number(req.limitBytes) : undefined,
          };
          const { text, offset } = await readLog(path, query).catch(() => ({ text: '', offset: 0 }));
          if (text) call.write({ data: Buffer.from(text) } as LogChunk);
          if (req.follow && !req.previous) {
            const controller = new AbortController();
            call.on('cancelled', () => controller.abort());
            const stillRunning = async () => (await deps.containers.state(target.id).catch(() => undefined))?.status === 'running';
            for await (const chunk of followLog(path, offset, { signal: controller.signal, timestamps: req.timestamps, stillRunning })) {
              call.write({ data: Buffer.from(chunk) } as LogChunk);
            }
          }
          call.end();
        } catch (error) {
          call.emit('error', error);
        }
      })();
    },

    exec: (call) => {
      let session: Awaited<ReturnType<ContainerDriver['exec']>> | undefined;
      // Input that arrives before the process exists is replayed once it does (stdin EOF too).
      const pending: Buffer[] = [];
      let eofPending = false;
      call.on('data', (message: ExecInput) => {
        void (async () => {
          if ('start' in message && message.start) {
            try {
              const start = message.start;
              const { name, mine } = await instances(deps, start.pod.namespace, start.pod.name, start.container);
              const running = mine.find((s) => s.status === 'running');
              if (!running) throw fail(Status.FAILED_PRECONDITION, `container not found ("${name}")`);
              session = await deps.containers.exec(running.id, { command: start.command, tty: Boolean(start.tty) });
              if (start.tty && start.size) session.resize(start.size.height, start.size.width);
              session.stdout.on('data', (data: Buffer) => call.write({ stdout: data } as ExecOutput));
              session.stderr?.on('data', (data: Buffer) => call.write({ stderr: data } as ExecOutput));
              for (const chunk of pending.splice(0)) session.stdin.write(chunk);
              if (eofPending) session.stdin.end();
              const code = await session.exitCode;
              call.write({ exitCode: code } as ExecOutput);
              call.end();
            } catch (error) {
              call.emit('error', error);
            }
          } else if ('stdin' in message && message.stdin) {
            if (session) session.stdin.write(message.stdin);
            else pending.push(message.stdin);
          } else if ('resize' in message && message.resize) {
            session?.resize(message.resize.height, message.resize.width);
          } else if ('stdinEof' in message && message.stdinEof) {
            if (session) session.stdin.end();
            else eofPending = true;
          }
        })();
      });
      call.on('cancelled', () => session?.kill?.());
      call.on('end', () => {
        if (session) session.stdin.end();
        else eofPending = true;
      });
    },

    console: (call) => {
      let socket: import('node:net').Socket | undefined;
      call.on('data', (message: ConsoleInput) => {
        void (async () => {
          if ('attach' in message && message.attach) {
            try {
              if (!deps.vms) throw fail(Status.UNIMPLEMENTED, 'this node runs no VMs');
              const vmi = deps.agent.vmiByUid(message.attach.uid ?? '') ?? undefined;
              const uid = message.attach.uid ?? vmi?.metadata.uid;
              const state = (await deps.vms.list()).find((v) => v.uid === uid || (v.namespace === message.attach.namespace && v.name === message.attach.name && v.status === 'running'));
              if (!state) throw fail(Status.NOT_FOUND, `VMI ${message.attach.name} is not running on node ${deps.nodeName}`);
              socket = await deps.vms.attachConsole(state.uid);
              socket.on('data', (data: Buffer) => call.write({ data } as ConsoleOutput));
              socket.on('error', () => call.end());
              socket.on('close', () => call.end());
            } catch (error) {
              call.emit('error', error);
            }
          } else if ('data' in message && message.data && socket) {
            socket.write(message.data);
          }
        })();
      });
      call.on('cancelled', () => socket?.destroy());
      call.on('end', () => socket?.end());
    },

    attach: attachHandler(deps),

    portForward: portForwardHandler(deps),

    stats: (_call, callback) => {
      void (async () => {
        try {
          const now = Date.now();
          const workloads: WorkloadStats[] = [];
          const byPod = new Map<string, WorkloadStats>();
          for (const state of await deps.containers.list()) {
            if (state.status !== 'running') continue;
            const uid = state.labels[CONTAINER_LABELS.podUid];
            const stats = await deps.containers.stats(state.id).catch(() => undefined);
            if (!uid || !stats) continue;
            let workload = byPod.get(uid);
            if (!workload) {
              workload = { ref: { namespace: state.labels[CONTAINER_LABELS.podNamespace], name: state.labels[CONTAINER_LABELS.podName], uid }, kind: 'Pod', containers: [], usage: { cpuUsageNanoseconds: 0, memoryWorkingSetBytes: 0, timestampMs: now } };
              byPod.set(uid, workload);
              workloads.push(workload);
            }
            const usage = { cpuUsageNanoseconds: Math.round(stats.cpuUsageSeconds * 1e9), memoryWorkingSetBytes: stats.memoryWorkingSetBytes, timestampMs: now };
            workload.containers.push({ name: state.labels[CONTAINER_LABELS.containerName], usage });
            workload.usage.cpuUsageNanoseconds = Number(workload.usage.cpuUsageNanoseconds) + usage.cpuUsageNanoseconds;
            workload.usage.memoryWorkingSetBytes = Number(workload.usage.memoryWorkingSetBytes) + usage.memoryWorkingSetBytes;
          }
          for (const vm of deps.vms ? await deps.vms.list() : []) {
            if (vm.status !== 'running') continue;
            const stats = await deps.vms!.stats(vm.uid).catch(() => undefined);
            if (!stats) continue;
            const usage = { cpuUsageNanoseconds: Math.round(stats.cpuUsageSeconds * 1e9), memoryWorkingSetBytes: stats.memoryWorkingSetBytes, timestampMs: now };
            workloads.push({ ref: { namespace: vm.namespace, name: vm.name, uid: vm.uid }, kind: 'VirtualMachineInstance', containers: [{ name: 'compute', usage }], usage });
          }
          const node = await deps.nodeUsage();
          const response: StatsResponse = { nodeName: deps.nodeName, node: { ...node, timestampMs: now }, workloads };
          callback(null, response);
        } catch (error) {
          callback(error as Error);
        }
      })();
    },
  };
}
