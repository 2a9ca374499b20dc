// Login (POST a bearer token), session check (GET) and logout (DELETE). The token is checked
// against the API server and then kept server-side; the browser gets an httpOnly cookie.
import { dashboardContext, endSession, samplerFor, sessionFrom } from '../../../server/context';
import { clearedSessionCookie, cookieValue, SESSION_COOKIE, sameOrigin, sessionCookie } from '../../../server/sessions';
import { statusMessage } from '../../../server/upstream';
import { statusResponse } from '../../../server/route-helpers';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const session = sessionFrom(request.headers.get('cookie'));
  return Response.json({ authenticated: Boolean(session), apiUrl: dashboardContext().config.apiUrl }, { headers: { 'cache-control': 'no-store' } });
}

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request.headers.get('origin'), request.headers.get('host'))) return statusResponse(403, 'Forbidden', 'cross-origin request refused');
  let token = '';
  try {
    const body = (await request.json()) as { token?: unknown };
    token = typeof body.token === 'string' ? body.token.trim().replace(/^Bearer\s+/i, '') : '';
  } catch {
    return statusResponse(400, 'BadRequest', 'expected JSON {"token": "…"}');
  }
  if (!token || /\s/.test(token)) return statusResponse(400, 'BadRequest', 'paste a bearer token');
  const ctx = dashboardContext();
  let res;
  try {
    res = await ctx.upstream.fetch(token, '/api/v1/namespaces?limit=1', { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return statusResponse(502, 'BadGateway', `cannot reach the API server at ${ctx.config.apiUrl}: ${(error as Error).message}`);
  }
  const body = await res.text();
  // 403 still proves the token: a user who may not list namespaces can use the rest.
  if (res.status === 401) return statusResponse(401, 'Unauthorized', 'the API server does not accept this token');
  if (!res.ok && res.status !== 403) return statusResponse(502, 'BadGateway', `the API server answered ${res.status}: ${statusMessage(res.status, body)}`);
  const session = ctx.sessions.create(token);
  samplerFor(session).touch();
  return Response.json({ authenticated: true }, { headers: { 'set-cookie': sessionCookie(session.id), 'cache-control': 'no-store' } });
}

export async function DELETE(request: Request): Promise<Response> {
  if (!sameOrigin(request.headers.get('origin'), request.headers.get('host'))) return statusResponse(403, 'Forbidden', 'cross-origin request refused');
  endSession(cookieValue(request.headers.get('cookie'), SESSION_COOKIE));
  return Response.json({ authenticated: false }, { headers: { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' } });
}
