// A GET with a chosen Accept header (server-side Tables), using the kubeconfig's credentials
// and TLS settings; the client library's transport always asks for plain JSON.
import { Agent, request } from 'undici';
import { ApiError, classifyConnectionError, ConnectionOptions, parseServers, statusFromResponse } from '@coxswain/client';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export async function getWithAccept(conn: ConnectionOptions, path: string, query: Record<string, string | undefined>, accept: string): Promise<unknown> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  const headers: Record<string, string> = { accept, 'user-agent': 'coxctl' };
  if (conn.token) headers.authorization = `Bearer ${conn.token}`;
  else if (conn.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}`;
  const agent = new Agent({
    connect: { ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecureSkipTlsVerify, ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}) },
  });
  try {
    const qs = params.toString();
    const servers = parseServers(conn.server);
    // Several servers (HA): the first one that can be reached answers.
    let res: Awaited<ReturnType<typeof request>> | undefined;
    for (const [i, server] of servers.entries()) {
      const url = new URL(server);
      try {
        res = await request(`${url.origin}${url.pathname.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`, { headers, dispatcher: agent });
        break;
      } catch (error) {
        if (i === servers.length - 1 || classifyConnectionError(error) === 'other') throw error;
      }
    }
    if (!res) throw new Error('no API server answered');
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new ApiError(statusFromResponse(res.statusCode, text), 'GET', path);
    return JSON.parse(text);
  } finally {
    await agent.close();
  }
}
