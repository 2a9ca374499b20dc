import { InvalidReferenceError } from './errors';
import { manifestReference, normalizeReference, parseReference } from './reference';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseReference / normalizeReference', () => {
  const ok: Array<{ input: string; want: string; domain: string; path: string; tag?: string; digest?: string }> = [
    { input: 'busybox', want: 'docker.io/library/busybox:latest', domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    { input: 'busybox:1.36', want: 'docker.io/library/busybox:1.36', domain: 'docker.io', path: 'library/busybox', tag: '1.36' },
    { input: 'library/busybox', want: 'docker.io/library/busybox:latest', domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    { input: 'docker.io/busybox', want: 'docker.io/library/busybox:latest', domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    { input: 'index.docker.io/busybox', want: 'docker.io/library/busybox:latest', domain: 'docker.io', path: 'library/busybox', tag: 'latest' },
    { input: 'bitnami/redis:7', want: 'docker.io/bitnami/redis:7', domain: 'docker.io', path: 'bitnami/redis', tag: '7' },
    { input: `busybox@${D}`, want: `docker.io/library/busybox@${D}`, domain: 'docker.io', path: 'library/busybox', digest: D },
    { input: `busybox:1@${D}`, want: `docker.io/library/busybox:1@${D}`, domain: 'docker.io', path: 'library/busybox', tag: '1', digest: D },
    { input: `reg:5000/a/b@${D}`, want: `reg:5000/a/b@${D}`, domain: 'reg:5000', path: 'a/b', digest: D },
    { input: 'reg:5000/a/b', want: 'reg:5000/a/b:latest', domain: 'reg:5000', path: 'a/b', tag: 'latest' },
    { input: 'localhost/foo', want: 'localhost/foo:latest', domain: 'localhost', path: 'foo', tag: 'latest' },
    { input: 'localhost:5000/foo:v1', want: 'localhost:5000/foo:v1', domain: 'localhost:5000', path: 'foo', tag: 'v1' },
    { input: 'quay.io/coreos/etcd:v3.5.0', want: 'quay.io/coreos/etcd:v3.5.0', domain: 'quay.io', path: 'coreos/etcd', tag: 'v3.5.0' },
    { input: '127.0.0.1:5000/library/busybox', want: '127.0.0.1:5000/library/busybox:latest', domain: '127.0.0.1:5000', path: 'library/busybox', tag: 'latest' },
    { input: '[::1]:5000/x', want: '[::1]:5000/x:latest', domain: '[::1]:5000', path: 'x', tag: 'latest' },
    { input: 'Registry/x', want: 'Registry/x:latest', domain: 'Registry', path: 'x', tag: 'latest' },
    { input: 'a/b/c/d_e__f-g.h', want: 'docker.io/a/b/c/d_e__f-g.h:latest', domain: 'docker.io', path: 'a/b/c/d_e__f-g.h', tag: 'latest' },
    { input: 'kubevirt/fedora-cloud-container-disk-demo:v1.1.0', want: 'docker.io/kubevirt/fedora-cloud-container-disk-demo:v1.1.0', domain: 'docker.io', path: 'kubevirt/fedora-cloud-container-disk-demo', tag: 'v1.1.0' },
  ];
  it.each(ok)('$input → $want', ({ input, want, domain, path, tag, digest }) => {
    expect(normalizeReference(input)).toBe(want);
    const ref = parseReference(input);
    expect(ref).toEqual({ domain, path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
    // Normalisation is idempotent.
    expect(normalizeReference(want)).toBe(want);
  });

  const bad: Array<{ input: string; why: RegExp }> = [
    { input: '', why: /empty/ },
    { input: 'BusyBox', why: /lowercase/ },
    { input: 'busybox:', why: /tag/ },
    { input: 'busybox:-x', why: /tag/ },
    { input: 'busybox@sha256:abc', why: /digest/ },
    { input: `busybox@md5:${'a'.repeat(32)}`, why: /digest/ },
    { input: 'a//b', why: /component/ },
    { input: 'reg:5000/', why: /component/ },
    { input: ':tag', why: /missing/ },
    { input: 'foo/-bar', why: /component/ },
    { input: `x/${'a'.repeat(260)}`, why: /longer/ },
    { input: 'bad_host.com:x/y', why: /registry/ },
  ];
  it.each(bad)('rejects "$input"', ({ input, why }) => {
    expect(() => parseReference(input)).toThrow(InvalidReferenceError);
    expect(() => parseReference(input)).toThrow(why);
  });
});

describe('manifestReference', () => {
  it.each([
    { input: 'busybox', want: 'latest' },
    { input: 'busybox:1.36', want: '1.36' },
    { input: `busybox:1@${D}`, want: D },
  ])('$input asks for $want', ({ input, want }) => {
    expect(manifestReference(parseReference(input))).toBe(want);
  });
});
