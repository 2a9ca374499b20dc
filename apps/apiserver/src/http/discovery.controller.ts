// Discovery and OpenAPI documents kubectl and client libraries read before anything else.
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { notAcceptable, pathNotFound } from '@coxswain/api';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateDiscovery,
  negotiateOpenApiV2,
  openApiV2Protobuf,
  openApiV2Text,
  openApiV3DocText,
  openApiV3Index,
} from '../discovery';
import { ApiRouter } from '../rest/api-router';
import { sendJson, sendStatus } from './responder';
import { API_ROUTER } from './tokens';

@Controller()
export class DiscoveryController {
  constructor(@Inject(API_ROUTER) private readonly router: ApiRouter) {}

  /** Discovery needs an authenticated user, like Kubernetes' system:discovery role. */
  private async answer(req: IncomingMessage, res: ServerResponse, produce: () => unknown, contentType?: string): Promise<void> {
    try {
      await this.router.authenticate(req);
      const body = produce();
      if (body === undefined) throw pathNotFound(req.url ?? '');
      res.setHeader('vary', 'Accept');
      sendJson(res, 200, body, contentType);
    } catch (error) {
      sendStatus(res, error);
    }
  }

  private async raw(req: IncomingMessage, res: ServerResponse, produce: () => { body: string | Buffer; type: string; headers?: Record<string, string> } | undefined): Promise<void> {
    try {
      await this.router.authenticate(req);
      const out = produce();
      if (!out) throw pathNotFound(req.url ?? '');
      res.writeHead(200, { 'content-type': out.type, 'content-length': Buffer.byteLength(out.body), vary: 'Accept', ...out.headers });
      res.end(out.body);
    } catch (error) {
      sendStatus(res, error);
    }
  }

  private discovery(req: IncomingMessage, res: ServerResponse, kind: 'api' | 'apis', legacy: () => unknown): void {
    const negotiated = negotiateDiscovery(req.headers.accept);
    if (!negotiated) return void sendStatus(res, notAcceptable(`only application/json discovery documents are served (Accept: ${req.headers.accept})`));
    if (negotiated.format === 'aggregated') return void this.answer(req, res, () => aggregatedDiscovery(kind, negotiated.version!), negotiated.contentType);
    void this.answer(req, res, legacy, negotiated.contentType);
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
    void this.answer(req, res, () => apiResourceList('', version));
  }

  @Get('apis/:group')
  group(@Param('group') group: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    void this.answer(req, res, () => apiGroup(group));
  }

  @Get('apis/:group/:version')
  groupResources(@Param('group') group: string, @Param('version') version: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    void this.answer(req, res, () => apiResourceList(group, version));
  }

  @Get('openapi/v2')
  v2(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    const negotiated = negotiateOpenApiV2(req.headers.accept);
    if (!negotiated) return void sendStatus(res, notAcceptable('openapi/v2 is served as JSON or protobuf'));
    void this.raw(req, res, () => ({ body: negotiated.format === 'protobuf' ? openApiV2Protobuf() : openApiV2Text().text, type: negotiated.contentType }));
  }

  @Get('openapi/v3')
  v3Index(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    void this.answer(req, res, () => openApiV3Index());
  }

  @Get('openapi/v3/*path')
  v3Doc(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.replace(/^\/openapi\/v3\//, '');
    void this.raw(req, res, () => {
      const doc = openApiV3DocText(path);
      if (!doc) return undefined;
      const immutable = url.searchParams.get('hash') === doc.hash;
      return { body: doc.text, type: 'application/json', headers: immutable ? { 'cache-control': 'public, immutable' } : { 'cache-control': 'no-cache, private' } };
    });
  }
}
