import { goPlatform, versionInfo } from './version';

describe('versionInfo', () => {
  it('reports Kubernetes 1.30 in the shape kubectl parses', () => {
    const v = versionInfo();
    expect(v).toMatchObject({ major: '1', minor: '30', gitVersion: 'v1.30.0-coxswain', gitTreeState: 'clean', compiler: 'gc', platform: 'linux/amd64' });
    expect(v.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(v.buildDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(v.goVersion).toMatch(/^go1\.\d+/);
    // A semver that client-go's version.ParseGeneric / ParseSemantic accepts.
    expect(v.gitVersion).toMatch(/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(`v${v.major}.${v.minor}.`).toBe(v.gitVersion.slice(0, 6));
  });

  it('takes build facts from the caller', () => {
    expect(versionInfo({ gitCommit: 'a'.repeat(40), buildDate: '2025-01-02T03:04:05Z', platform: 'linux/arm64' })).toMatchObject({
      gitCommit: 'a'.repeat(40),
      buildDate: '2025-01-02T03:04:05Z',
      platform: 'linux/arm64',
    });
  });

  it.each([
    ['linux', 'x64', 'linux/amd64'],
    ['linux', 'arm64', 'linux/arm64'],
    ['darwin', 'arm64', 'darwin/arm64'],
    ['linux', 'ia32', 'linux/386'],
  ])('goPlatform(%s, %s) = %s', (platform, arch, want) => expect(goPlatform(platform, arch)).toBe(want));
});
