// The node's DHCP responder for its VMs: one UDP socket on port 67 (SO_REUSEADDR, so agents
// sharing a host each receive the broadcasts), answering only the MACs of VMs it started, each
// with its fixed IPAM lease. Replies go to the lease's subnet broadcast (the guest asks for
// broadcast replies), which leaves through the node bridge the VM's tap is on.
import { createSocket, Socket } from 'node:dgram';
import { answerType, buildReply, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpLease, parseDhcp, subnetBroadcast } from './dhcp-packet';

export interface DhcpServerOptions {
  port?: number;
  warn?(message: string, error?: unknown): void;
}

export class DhcpServer {
  private readonly leases = new Map<string, DhcpLease>();
  private socket?: Socket;

  constructor(private readonly options: DhcpServerOptions = {}) {}

  /** Starts listening; resolves false (and warns) when the port cannot be bound. */
  async start(): Promise<boolean> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (msg) => this.onMessage(msg));
    socket.on('error', (error) => this.options.warn?.('DHCP responder error', error));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ port: this.options.port ?? DHCP_SERVER_PORT, address: '0.0.0.0', exclusive: false }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      socket.setBroadcast(true);
      this.socket = socket;
      return true;
    } catch (error) {
      this.options.warn?.('DHCP responder not started: VMs without cloud-init network data get no address', error);
      socket.close();
      return false;
    }
  }

  add(lease: DhcpLease): void {
    this.leases.set(lease.mac.toLowerCase(), lease);
  }

  remove(mac: string): void {
    this.leases.delete(mac.toLowerCase());
  }

  stop(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private onMessage(msg: Buffer): void {
    const req = parseDhcp(msg);
    const lease = req && this.leases.get(req.mac);
    if (!req || !lease?.gateway) return;
    const type = answerType(req, lease, lease.gateway);
    if (type === undefined) return;
    const reply = buildReply(req, type, lease, lease.gateway);
    this.socket?.send(reply, DHCP_CLIENT_PORT, subnetBroadcast(lease.ip, lease.prefixLength), (error) => {
      if (error) this.options.warn?.(`DHCP reply to ${lease.mac} failed`, error);
    });
  }
}
