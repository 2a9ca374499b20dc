// Health, readiness, metrics and version: unauthenticated, so probes and Prometheus work.
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { ApiServerMetrics } from '../observability/metrics';
import { versionInfo } from '../discovery';
import { sendJson } from './responder';
import { HEALTH, METRICS } from './tokens';

export interface HealthChecks {
  /** Resolves when etcd answers. */
  etcd(): Promise<void>;
  /** False while shutting down. */
  serving(): boolean;
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
  live(@Res() res: ServerResponse): void {
    text(res, 200, 'ok');
  }

  @Get('readyz')
  async ready(@Res() res: ServerResponse): Promise<void> {
    if (!this.health.serving()) return text(res, 503, '[-]shutdown failed: reason withheld\nreadyz check failed');
    try {
      await this.health.etcd();
      text(res, 200, 'ok');
    } catch (error) {
      text(res, 503, `[-]etcd failed: ${(error as Error).message}\nreadyz check failed`);
    }
  }

  @Get('metrics')
  async scrape(@Res() res: ServerResponse): Promise<void> {
    const body = await this.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
    res.end(body);
  }

  @Get('version')
  version(@Res() res: ServerResponse): void {
    sendJson(res, 200, versionInfo());
  }
}
