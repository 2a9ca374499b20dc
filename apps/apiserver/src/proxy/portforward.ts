// pods/portforward over the SPDY protocol kubectl speaks (`portforward.k8s.io`): per forwarded
// connection the client opens an error stream and a data stream with the same `requestID`;
// each pair becomes one PortForward call to the node agent. Errors go to the error stream as
// text, which kubectl prints as "an error occurred forwarding L -> R: <text>".
import { NodeAgentClient, PortForwardOutput } from '@coxswain/proto';
import { SpdySession, SpdyStream } from './spdy/session';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The websocket subprotocol kubectl ≥ 1.31 asks for: SPDY frames tunneled in binary messages. */
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

/** Opens the agent call for one connection, its `start` message already sent. */
export type OpenForward = (port: number) => ReturnType<NodeAgentClient['portForward']>;

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/** The port a stream pair names, or why it is not one. */
export function parsePort(value: string | undefined): number | string {
  const port = Number(value);
  if (!value || !Number.isInteger(port) || port < 1 || port > 65535) return `invalid port "${value ?? ''}": must be 1-65535`;
  return port;
}

export function servePortForward(session: SpdySession, open: OpenForward): void {
  const pairs = new Map<string, Pair>();
  session.on('stream', (stream: SpdyStream) => {
    const id = stream.headers.requestid ?? stream.headers.port ?? '';
    const pair = pairs.get(id) ?? {};
    const type = stream.headers.streamtype;
    if (type !== 'error' && type !== 'data') return stream.reset();
    pair[type] = stream;
    pairs.set(id, pair);
    if (pair.error && pair.data) {
      pairs.delete(id);
      forward(pair.error, pair.data, open);
    }
  });
}

function forward(errorStream: SpdyStream, dataStream: SpdyStream, open: OpenForward): void {
  const port = parsePort(dataStream.headers.port);
  const finish = (message?: string) => {
    dataStream.end();
    errorStream.end(message ? Buffer.from(message) : undefined);
  };
  if (typeof port === 'string') return finish(port);
  const call = open(port);
  dataStream.on('data', (data: Buffer) => call.write({ data }));
  dataStream.on('end', () => call.write({ eof: true }));
  dataStream.on('close', () => {
    if (!dataStream.finReceived) call.cancel();
  });
  call.on('data', (out: PortForwardOutput) => {
    if ('data' in out && out.data) dataStream.write(out.data);
    else if ('eof' in out && out.eof) dataStream.end();
  });
  call.on('error', (error: Error & { code?: number; details?: string }) => finish(error.code === 1 ? undefined : error.details || error.message));
  call.on('end', () => finish());
}
