// Discovery and OpenAPI documents kubectl and client libraries read before anything else.
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { pathNotFound } from '@coxswain/api';
import { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, negotiateDiscovery, openApiV2, openApiV3Doc, openApiV3Index } from './discovery-fallback';
import { ApiRouter } from '../rest/api-router';
import { sendJson, sendStatus } from './responder';
import { API_ROUTER } from './tokens';

@Controller()
export class DiscoveryController {
  constructor(@Inject(API_ROUTER) private readonly router: ApiRouter) {}

  /** Discovery needs an authenticated user, like Kubernetes' system:discovery role. */
  private answer(req: IncomingMessage, res: ServerResponse, produce: () => unknown, contentType?: string): void {
    try {
      this.router.authenticate(req);
      const body = produce();
      if (body === undefined) throw pathNotFound(req.url ?? '');
      sendJson(res, 200, body, contentType);
    } catch (error) {
      sendStatus(res, error);
    }
  }

  private discovery(req: IncomingMessage, res: ServerResponse, kind: 'api' | 'apis', legacy: () => unknown): void {
    const negotiated = negotiateDiscovery(req.headers.accept);
    if (negotiated.aggregated) {
      return this.answer(req, res, () => aggregatedDiscovery(kind, negotiated.version), negotiated.contentType);
    }
    this.answer(req, res, legacy);
  }

  @Get('api')
  api(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.discovery(req, res, 'api', () => apiVersions());
  }

  @Get('apis')
  apis(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.discovery(req, res, 'apis', () => apiGroupList());
  }

  @Get('api/:version')
  coreResources(@Param('version') version: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.answer(req, res, () => apiResourceList('', version));
  }

  @Get('apis/:group')
  group(@Param('group') group: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.answer(req, res, () => apiGroupList().groups.find((g: { name: string }) => g.name === group) && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupList().groups.find((g: { name: string }) => g.name === group) });
  }

  @Get('apis/:group/:version')
  groupResources(@Param('group') group: string, @Param('version') version: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.answer(req, res, () => apiResourceList(group, version));
  }

  @Get('openapi/v2')
  v2(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.answer(req, res, () => openApiV2());
  }

  @Get('openapi/v3')
  v3Index(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.answer(req, res, () => openApiV3Index());
  }

  @Get('openapi/v3/*path')
  v3Doc(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://local').pathname.replace(/^\/openapi\/v3\//, '');
    this.answer(req, res, () => openApiV3Doc(path));
  }
}
