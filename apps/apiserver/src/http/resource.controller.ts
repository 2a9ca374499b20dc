// Every /api/{version}/… and /apis/{group}/{version}/… resource path lands here; the router
// decides what it addresses.
import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'pino';
import { FlowController, isLongRunning } from '../flowcontrol/flow-control';
import { ApiRouter } from '../rest/api-router';
import { ApiServerMetrics } from '../observability/metrics';
import { parseRequestInfo, RequestInfo } from '../request/request-info';
import { recordRequest, sendJson, sendStatus } from './responder';
import { API_ROUTER, FLOW, LOGGER, METRICS } from './tokens';

@Controller()
export class ResourceController {
  constructor(
    @Inject(API_ROUTER) private readonly router: ApiRouter,
    @Inject(METRICS) private readonly metrics: ApiServerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(FLOW) private readonly flow: FlowController,
  ) {}

  @All(['api/:version/*path', 'apis/:group/:version/*path'])
  serve(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.handle(req, res);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://local');
    let info: RequestInfo | undefined;
    let user: string | undefined;
    let release: (() => void) | undefined;
    this.metrics.inflight.inc();
    try {
      info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const who = await this.router.authenticate(req);
      user = who.name;
      release = await this.flow.admit(who, info);
      // A watch or stream holds its slot until the connection goes away.
      if (isLongRunning(info)) res.once('close', release);
      const answer = await this.router.handle(req, res, info, who, url.searchParams);
      if (!answer.streamed) sendJson(res, answer.code, answer.body, /as=Table/.test(req.headers.accept ?? '') ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json');
      recordRequest(this.metrics, this.logger, { req, info, user, code: answer.code, started });
    } catch (error) {
      const status = sendStatus(res, error);
      recordRequest(this.metrics, this.logger, { req, info, user, code: status.code, started, status });
    } finally {
      if (release && info && !isLongRunning(info)) release();
      this.metrics.inflight.dec();
    }
  }
}
