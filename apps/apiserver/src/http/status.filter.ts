// Whatever NestJS itself answers (no route matched, a method a route lacks) goes out as a
// Kubernetes Status like every other error, not as Nest's own JSON: clients parse Status.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { internalError, methodNotAllowed, pathNotFound, StatusError } from '@coxswain/api';
import { sendStatus } from './responder';

export function statusForNest(error: unknown, method: string, path: string): StatusError {
  const code = error instanceof HttpException ? error.getStatus() : 500;
  if (code === 404) return pathNotFound(path);
  if (code === 405) return methodNotAllowed(method, path);
  return internalError(error instanceof Error ? error.message : String(error));
}

@Catch()
export class StatusFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<{ method?: string; url?: string }>();
    const res = http.getResponse<ServerResponse>();
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    sendStatus(res, error instanceof StatusError ? error : statusForNest(error, req.method ?? 'GET', (req.url ?? '/').split('?')[0]));
  }
}
