import { claimPod } from './identity';

describe('claimPod', () => {
  it.each([
    ['data-web-0', 'web', 'web-0'],
    ['data-web-12', 'web', 'web-12'],
    // A template or set name with dashes, and a set whose name appears in the template's.
    ['my-data-db-main-3', 'db-main', 'db-main-3'],
    ['web-data-web-1', 'web', 'web-1'],
  ])('%s of StatefulSet %s belongs to %s', (claim, set, pod) => {
    expect(claimPod(claim, set)).toBe(pod);
  });
});
