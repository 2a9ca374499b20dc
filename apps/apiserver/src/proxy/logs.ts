// GET pods/{name}/log: streams the container log from the node agent as text/plain.
import { ServerResponse } from 'node:http';
import { badRequest, KubeObject } from '@coxswain/api';
import { LogChunk } from '@coxswain/proto';
import { grpcToStatus, NodeClients } from './node-clients';
import { queryFlag as flag } from '../rest/context';
import { checkPodStream } from './stream-target';

const intParam = (query: URLSearchParams, name: string): number | undefined => {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer`);
  return n;
};


export async function streamLogs(pod: KubeObject, query: URLSearchParams, nodes: NodeClients, res: ServerResponse): Promise<void> {
  const container = checkPodStream(pod, { stream: 'log', container: query.get('container') ?? undefined, previous: flag(query, 'previous') });
  const { client } = await nodes.forWorkload(pod);
  const call = client.logs({
    pod: { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid },
    container,
    follow: flag(query, 'follow'),
    previous: flag(query, 'previous'),
    tailLines: intParam(query, 'tailLines') ?? -1, // proto3 has no 'unset': -1 means all lines
    sinceSeconds: intParam(query, 'sinceSeconds'),
    timestamps: flag(query, 'timestamps'),
    limitBytes: intParam(query, 'limitBytes'),
  });
  await new Promise<void>((resolve, reject) => {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
      res.flushHeaders?.();
    };
    call.on('data', (chunk: LogChunk) => {
      start();
      res.write(chunk.data);
    });
    call.on('end', () => {
      start();
      res.end();
      resolve();
    });
    call.on('error', (error: Error & { code?: number }) => {
      if (error.code === 1 /* CANCELLED */) return resolve();
      if (!started) return reject(grpcToStatus(error));
      res.end();
      resolve();
    });
    res.on('close', () => call.cancel());
  });
}
