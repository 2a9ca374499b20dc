import { lineResourceVersion, MAX_SUBSCRIPTIONS, parseSubscriptions, watchUrl } from './watch-mux';

const sub = (over: Record<string, unknown> = {}) => JSON.stringify({ k: 'w1', p: '/api/v1/pods', q: 'labelSelector=app%3Dweb', rv: '42', ...over });

describe('parseSubscriptions', () => {
  it('accepts list paths with selectors', () => expect(parseSubscriptions([sub()])).toEqual([{ k: 'w1', p: '/api/v1/pods', q: 'labelSelector=app%3Dweb', rv: '42' }]));
  it.each([
    [[], /no watch/],
    [Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, () => sub()), /at most/],
    [['not json'], /JSON/],
    [[sub({ k: 'bad key!' })], /key/],
    [[sub({ p: '/healthz' })], /not allowed/],
    [[sub({ p: '/api/v1/../secrets' })], /not allowed/],
    [[sub({ rv: 'abc' })], /resourceVersion/],
    [[sub({ q: 'watch=0' })], /not allowed in a watch: watch/],
    [[sub({ q: 'resourceVersion=1' })], /resourceVersion/],
  ])('rejects %#', (values, error) => expect(() => parseSubscriptions(values as string[])).toThrow(error));
});

describe('watch lines', () => {
  it('builds the API watch URL from the latest version', () => {
    expect(watchUrl({ k: 'w', p: '/api/v1/pods', q: 'fieldSelector=spec.nodeName%3Dn1', rv: '1' }, '99')).toBe('/api/v1/pods?fieldSelector=spec.nodeName%3Dn1&watch=1&allowWatchBookmarks=true&resourceVersion=99');
    expect(watchUrl({ k: 'w', p: '/api/v1/pods', rv: '' }, '')).toBe('/api/v1/pods?watch=1&allowWatchBookmarks=true');
  });
  it.each([
    ['{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"12"}}}', '12'],
    ['{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"13"}}}', '13'],
    ['{"type":"ERROR","object":{"kind":"Status","code":410}}', undefined],
    ['garbage', undefined],
  ])('resourceVersion of %p', (line, want) => expect(lineResourceVersion(line)).toBe(want));
});
