// pods/portforward over the older websocket channel protocol (`v4.channel.k8s.io`, what the
// kubelet serves and @kubernetes/client-node and coxctl speak): `?ports=A,B` names the ports;
// port i gets data channel 2i and error channel 2i+1; the server's first frame on each
// channel carries the port as 16-bit little-endian, then bytes follow with their channel byte.
import { WebSocket } from 'ws';
import { PortForwardOutput } from '@coxswain/proto';
import { OpenForward, parsePort } from './portforward';

/** The ports of `?ports=` (or the kubelet's `?port=`), repeated or comma-separated. */
export function portsOf(query: URLSearchParams): number[] | string {
  const values = [...query.getAll('ports'), ...query.getAll('port')].flatMap((v) => v.split(','));
  if (!values.length) return 'query parameter "ports" is required';
  const ports: number[] = [];
  for (const value of values) {
    const port = parsePort(value.trim());
    if (typeof port === 'string') return port;
    ports.push(port);
  }
  return ports;
}

export function portPrefix(channel: number, port: number): Buffer {
  const frame = Buffer.alloc(3);
  frame[0] = channel;
  frame.writeUInt16LE(port, 1);
  return frame;
}

export function serveChannelPortForward(ws: WebSocket, ports: number[], open: OpenForward): void {
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
  };
  const calls = ports.map((port, i) => {
    const call = open(port);
    const data = 2 * i;
    const error = data + 1;
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(portPrefix(data, port), { binary: true });
      ws.send(portPrefix(error, port), { binary: true });
    }
    call.on('data', (out: PortForwardOutput) => {
      if ('data' in out && out.data) send(data, out.data);
      else if ('eof' in out && out.eof) ws.close(1000);
    });
    call.on('error', (e: Error & { code?: number; details?: string }) => {
      if (e.code !== 1) send(error, Buffer.from(e.details || e.message));
      ws.close(1000);
    });
    call.on('end', () => ws.close(1000));
    return call;
  });
  ws.on('message', (message: Buffer) => {
    if (message.length < 1) return;
    const index = message[0] >> 1;
    const call = calls[index];
    if (call && (message[0] & 1) === 0 && message.length > 1) call.write({ data: message.subarray(1) });
  });
  ws.on('close', () => calls.forEach((c) => c.cancel()));
}
