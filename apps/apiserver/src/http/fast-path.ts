// Resource requests skip Express' router and Nest's handler pipeline: they are the server's
// hot path (about a tenth of a create's CPU went to routing them), and ResourceController
// answers every outcome itself (Status on error), so nothing in those layers applies to them.
// Everything else — discovery, health, metrics, odd paths — still goes through Nest.
import { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { internalError, StatusError } from '@coxswain/api';
import { sendStatus } from './responder';

/**
 * Would Nest route this URL to ResourceController (`api/:version/*path`,
 * `apis/:group/:version/*path`) and not to an earlier controller? Only plain, case-exact
 * paths with a non-empty segment after the version: anything Express would decode, fold or
 * answer itself (percent-escapes, `/API/…`, trailing-slash discovery paths) is left to it.
 */
export function isResourcePath(url: string | undefined): boolean {
  if (!url || url.includes('%')) return false;
  const end = url.indexOf('?');
  const parts = (end < 0 ? url : url.slice(0, end)).split('/');
  if (parts[0] !== '') return false;
  if (parts[1] === 'api') return parts.length >= 4 && parts[2] !== '' && parts[3] !== '';
  if (parts[1] === 'apis') return parts.length >= 5 && parts[2] !== '' && parts[3] !== '' && parts[4] !== '';
  return false;
}

/** Puts `serve` in front of the server's Express listener for resource paths. */
export function routeResourcesDirectly(server: Server, serve: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) throw new Error(`expected one request listener (Express), found ${listeners.length}`);
  const express = listeners[0];
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isResourcePath(req.url)) serve(req, res).catch((error: unknown) => answerFailure(res, error));
    else express(req, res);
  });
}

/** What StatusFilter does for a handler that throws: a Status, or an end if the answer began. */
function answerFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  sendStatus(res, error instanceof StatusError ? error : internalError(error instanceof Error ? error.message : String(error)));
}
