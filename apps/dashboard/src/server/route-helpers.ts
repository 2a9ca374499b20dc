// Shared checks of the /api route handlers: a session is required, state-changing requests
// must come from our own pages, and failures answer with Kubernetes-style Status bodies.
import { dashboardContext, samplerFor, sessionFrom } from './context';
import { sameOrigin, Session } from './sessions';

export function statusResponse(code: number, reason: string, message: string): Response {
  return Response.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }, { status: code, headers: { 'cache-control': 'no-store' } });
}

/** The session of the request, or the Response to answer instead. */
export function authenticate(request: Request, options: { mutating?: boolean } = {}): Session | Response {
  if (options.mutating && !sameOrigin(request.headers.get('origin'), request.headers.get('host'))) {
    return statusResponse(403, 'Forbidden', 'cross-origin request refused');
  }
  const session = sessionFrom(request.headers.get('cookie'));
  if (!session) return statusResponse(401, 'Unauthorized', 'not logged in');
  samplerFor(session).touch();
  return session;
}

export { dashboardContext };
