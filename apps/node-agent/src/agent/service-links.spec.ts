import { ApiError } from '@coxswain/client';
import { ServiceLinkedFetcher } from './service-links';

describe('ServiceLinkedFetcher', () => {
  const client = { get: async () => { throw new ApiError({ code: 404, reason: 'NotFound' } as never); } } as never;
  it.each([
    ['adds the Services to the ConfigMaps and Secrets', async () => [{ metadata: { name: 'kubernetes', namespace: 'default' } }], 1],
    ['no Services', async () => [], 0],
  ])('%s', async (_name, services, want) => {
    const objects = await new ServiceLinkedFetcher(client, services).objects('ns', { configMaps: new Set(['cm']), secrets: new Set() });
    expect(objects.configMaps.get('cm')).toBeNull();
    expect(objects.services).toHaveLength(want);
  });

  it('fails the start while the Services are unknown', async () => {
    const fetcher = new ServiceLinkedFetcher(client, async () => { throw new Error('services have not yet been read at least once, cannot construct envvars'); });
    await expect(fetcher.objects('ns', { configMaps: new Set(), secrets: new Set() })).rejects.toThrow('cannot construct envvars');
  });
});
