// Health, readiness, metrics and version: unauthenticated, so probes and Prometheus work.
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiServerMetrics } from '../observability/metrics';
import { versionInfo } from '../discovery';
import { HealthCheck, runHealthChecks } from './health-checks';
import { sendJson } from './responder';
import { HEALTH, METRICS } from './tokens';

export interface HealthChecks {
  livez: HealthCheck[];
  readyz: HealthCheck[];
}

const text = (res: ServerResponse, code: number, body: string) => {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
};

@Controller()
export class SystemController {
  constructor(
    @Inject(METRICS) private readonly metrics: ApiServerMetrics,
    @Inject(HEALTH) private readonly health: HealthChecks,
  ) {}

  @Get(['healthz', 'livez'])
  live(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.report(res, 'livez', this.health.livez, req);
  }

  @Get(['healthz/:check', 'livez/:check'])
  liveOne(@Param('check') check: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.report(res, 'livez', this.health.livez, req, check);
  }

  @Get('readyz')
  ready(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.report(res, 'readyz', this.health.readyz, req);
  }

  @Get('readyz/:check')
  readyOne(@Param('check') check: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.report(res, 'readyz', this.health.readyz, req, check);
  }

  @Get('metrics')
  async scrape(@Res() res: ServerResponse): Promise<void> {
    const body = await this.metrics.scrape();
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
    res.end(body);
  }

  private async report(res: ServerResponse, endpoint: 'livez' | 'readyz', checks: HealthCheck[], req: IncomingMessage, only?: string): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const report = await runHealthChecks(endpoint, checks, { verbose: query.has('verbose'), exclude: query.getAll('exclude'), only });
    text(res, report.code, report.body);
  }

  @Get('version')
  version(@Res() res: ServerResponse): void {
    sendJson(res, 200, versionInfo());
  }
}
