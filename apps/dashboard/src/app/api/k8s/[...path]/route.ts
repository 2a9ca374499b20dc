// The browser's only way to the API server: /api/k8s/<API path> is forwarded with the
// session's bearer token. Streaming bodies (pod logs with follow=true) pass through as they come.
import { authenticate, dashboardContext, statusResponse } from '../../../../server/route-helpers';
import { allowedApiPath } from '../../../../server/upstream';

export const dynamic = 'force-dynamic';

const FORWARD_REQUEST = ['accept', 'content-type'];
const FORWARD_RESPONSE = ['content-type', 'warning'];

async function proxy(request: Request, mutating: boolean): Promise<Response> {
  const session = authenticate(request, { mutating });
  if (session instanceof Response) return session;
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/api\/k8s/, '');
  if (!allowedApiPath(path)) return statusResponse(404, 'NotFound', `not an API path: ${path}`);
  const headers: Record<string, string> = {};
  for (const name of FORWARD_REQUEST) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  const body = mutating ? new Uint8Array(await request.arrayBuffer()) : undefined;
  let res;
  try {
    res = await dashboardContext().upstream.fetch(session.token, `${path}${url.search}`, { method: request.method, headers, body: body?.length ? body : undefined, signal: request.signal });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return statusResponse(502, 'BadGateway', `cannot reach the API server: ${(error as Error).message}`);
  }
  const out = new Headers({ 'cache-control': 'no-store' });
  for (const name of FORWARD_RESPONSE) {
    const value = res.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(res.body as unknown as ReadableStream, { status: res.status, headers: out });
}

export const GET = (request: Request) => proxy(request, false);
export const POST = (request: Request) => proxy(request, true);
export const PUT = (request: Request) => proxy(request, true);
export const PATCH = (request: Request) => proxy(request, true);
export const DELETE = (request: Request) => proxy(request, true);
