import { ImagePullError, PodRuntime, VmRuntime } from '../runtime-port';
import { ObservedPod, PodView } from '../sync/model';
import { ObservedVm, VmiView } from '../sync/vmi-plan';

/** In-memory PodRuntime/VmRuntime for unit tests: records calls, lets tests make steps fail. */
export class FakeRuntime implements PodRuntime, VmRuntime {
  pods = new Map<string, ObservedPod>();
  vms = new Map<string, ObservedVm>();
  calls: string[] = [];
  /** Images the fake registry has. */
  registry = new Set<string>(['busybox']);
  failNext = new Map<string, Error>();
  /** Bytes each pod's volume or container instance takes, by `uid/volume` or `uid/container id` (unset: nothing on disk). */
  volumeBytes = new Map<string, number>();
  private seq = 0;

  constructor(private readonly now: () => number = () => 0) {}

  private step(name: string): void {
    this.calls.push(name);
    const error = this.failNext.get(name.split(' ')[0]);
    if (error) {
      this.failNext.delete(name.split(' ')[0]);
      throw error;
    }
  }

  async listPods() { return [...this.pods.values()].map((p) => ({ ...p, containers: p.containers.map((c) => ({ ...c })) })); }
  async createSandbox(pod: PodView) {
    this.step(`createSandbox ${pod.metadata.uid}`);
    const { uid, namespace, name } = pod.metadata;
    this.pods.set(uid, { uid, namespace, name, sandbox: { ready: true, ip: `10.0.0.${this.pods.size + 2}` }, containers: this.pods.get(uid)?.containers ?? [] });
  }
  async pullImage(image: string) {
    this.step(`pullImage ${image}`);
    if (!this.registry.has(image)) throw new ImagePullError(`manifest unknown: ${image}`, true);
  }
  async startContainer(pod: PodView, container: string, attempt: number) {
    this.step(`startContainer ${pod.metadata.uid}/${container}#${attempt}`);
    const p = this.pods.get(pod.metadata.uid);
    if (!p) throw new Error('no sandbox');
    const id = `id${++this.seq}`;
    p.containers.push({ id, name: container, attempt, state: 'running', startedAt: this.now() });
    return id;
  }
  /** Test helper: the container process exits (and the runtime reports it, as inotify would). */
  exit(uid: string, container: string, exitCode: number, oomKilled = false) {
    const c = this.pods.get(uid)?.containers.filter((x) => x.name === container).at(-1);
    if (c) Object.assign(c, { state: 'exited', exitCode, oomKilled, finishedAt: this.now() });
    for (const listener of this.changeListeners) listener();
  }
  private readonly changeListeners: Array<() => void> = [];
  onChange(listener: () => void) {
    this.changeListeners.push(listener);
  }
  changesWatched() {
    return true;
  }
  async volumeUsageBytes(uid: string, volume: string) {
    return this.volumeBytes.get(`${uid}/${volume}`);
  }
  async containerStorageBytes(uid: string, instance: { id: string }) {
    return this.volumeBytes.get(`${uid}/${instance.id}`);
  }
  async killContainer(id: string, grace: number) {
    this.step(`killContainer ${id} ${grace}`);
    for (const p of this.pods.values()) for (const c of p.containers) if (c.id === id) Object.assign(c, { state: 'exited', exitCode: 137, finishedAt: this.now() });
  }
  async removeContainer(id: string) {
    this.step(`removeContainer ${id}`);
    for (const p of this.pods.values()) p.containers = p.containers.filter((c) => c.id !== id);
  }
  async removePod(uid: string, grace: number) {
    this.step(`removePod ${uid} ${grace}`);
    this.pods.delete(uid);
  }
  async listVms() { return [...this.vms.values()].map((v) => ({ ...v })); }
  async startVm(vmi: VmiView) {
    this.step(`startVm ${vmi.metadata.uid}`);
    const { uid, namespace, name } = vmi.metadata;
    this.vms.set(uid, { uid, namespace, name, state: 'running', ip: '10.0.1.2' });
  }
  async stopVm(uid: string, grace: number) {
    this.step(`stopVm ${uid} ${grace}`);
    const vm = this.vms.get(uid);
    if (vm) Object.assign(vm, { state: 'exited', exitReason: 'shutdown' });
  }
  async removeVm(uid: string) {
    this.step(`removeVm ${uid}`);
    this.vms.delete(uid);
  }
}
