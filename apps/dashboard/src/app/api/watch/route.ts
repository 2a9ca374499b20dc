// Live updates: GET /api/watch?s={k,p,q,rv}&s=… relays the API's watches as one SSE stream.
import { authenticate, dashboardContext, statusResponse } from '../../../server/route-helpers';
import { SSE_HEADERS } from '../../../server/sse';
import { parseSubscriptions, watchStream } from '../../../server/watch-mux';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const session = authenticate(request);
  if (session instanceof Response) return session;
  let subs;
  try {
    subs = parseSubscriptions(new URL(request.url).searchParams.getAll('s'));
  } catch (error) {
    return statusResponse(400, 'BadRequest', (error as Error).message);
  }
  return new Response(watchStream(dashboardContext().upstream, session.token, subs, { signal: request.signal }), { headers: SSE_HEADERS });
}
