import { createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { isResourcePath, routeResourcesDirectly } from './fast-path';

describe('isResourcePath', () => {
  it.each([
    ['/api/v1/pods', true],
    ['/api/v1/namespaces/default/pods/web?watch=1', true],
    ['/api/v1/namespaces/default/pods/web/status', true],
    ['/apis/apps/v1/deployments', true],
    ['/apis/apps/v1/namespaces/x/deployments/y/scale?timeout=1s', true],
    // discovery, served by DiscoveryController
    ['/api', false],
    ['/api/', false],
    ['/api/v1', false],
    ['/api/v1/', false],
    ['/api/v1?x=1', false],
    ['/apis', false],
    ['/apis/apps', false],
    ['/apis/apps/v1', false],
    ['/apis/apps/v1/', false],
    // what Express decodes or folds is left to Express
    ['/api/v1/namespaces/%2e%2e/pods', false],
    ['/API/v1/pods', false],
    ['/api//pods', false],
    ['/apis/apps//deployments', false],
    // other controllers
    ['/healthz', false],
    ['/metrics', false],
    ['/openapi/v2', false],
    ['api/v1/pods', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isResourcePath(url)).toBe(expected);
  });
});

describe('routeResourcesDirectly', () => {
  it('hands resource paths to the handler and everything else to the original listener', async () => {
    const server = createServer((_req, res) => res.end('express'));
    routeResourcesDirectly(server, async (_req, res) => void res.end('direct'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        request({ port, host: '127.0.0.1', path }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
    try {
      expect(await get('/api/v1/pods')).toBe('direct');
      expect(await get('/api/v1')).toBe('express');
      expect(await get('/healthz')).toBe('express');
    } finally {
      server.close();
    }
  });

  it('answers a handler that throws with a 500 Status, as the Nest filter did', async () => {
    const server = createServer((_req, res) => res.end('express'));
    routeResourcesDirectly(server, async () => {
      throw new Error('boom');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/pods`);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ kind: 'Status', code: 500, reason: 'InternalError' });
    } finally {
      server.close();
    }
  });

  it('refuses a server whose request listeners it does not know', () => {
    const server = createServer();
    expect(() => routeResourcesDirectly(server, async () => undefined)).toThrow('expected one request listener');
  });
});
