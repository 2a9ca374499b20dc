// GET /prometheus/sd/<role>: Prometheus' http_sd_configs answer (kubernetes_sd_configs'
// target groups, see observability/prometheus-sd.ts). Each list it reads goes through the
// router as the caller, so a token sees only what it may list (the viewer/metrics token may).
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { pathNotFound } from '@coxswain/api';
import { isSdRole, SD_LIST_PATHS, SD_SOURCES, SdInput, targetGroups } from '../observability/prometheus-sd';
import { ApiRouter } from '../rest/api-router';
import { parseRequestInfo } from '../request/request-info';
import { sendJson, sendStatus } from './responder';
import { API_ROUTER } from './tokens';

@Controller()
export class PrometheusSdController {
  constructor(@Inject(API_ROUTER) private readonly router: ApiRouter) {}

  @Get('prometheus/sd/:role')
  async serve(@Param('role') role: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    try {
      if (!isSdRole(role)) throw pathNotFound(`/prometheus/sd/${role}`);
      const who = await this.router.authenticate(req);
      const input: SdInput = { nodes: [], pods: [], services: [], endpointslices: [] };
      const plain = { headers: {} } as IncomingMessage; // no Table negotiation: plain lists
      for (const key of SD_SOURCES[role]) {
        const path = SD_LIST_PATHS[key];
        const query = new URLSearchParams();
        const answer = await this.router.handle(plain, res, parseRequestInfo('GET', path, query), who, query);
        input[key] = ((answer.body as { items?: unknown[] }).items ?? []) as never;
      }
      sendJson(res, 200, targetGroups(role, input));
    } catch (error) {
      sendStatus(res, error);
    }
  }
}
