import { applyDefaults } from '../defaults/defaults';
import { base64ToUtf8, isConfigMapKey, utf8ToBase64 } from './config';
import { validateUpdate } from './update';
import { validateObject } from './validate';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cm = (fields: Obj): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, ...fields });
const secret = (fields: Obj): Obj => applyDefaults({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...fields } as never) as Obj;
const fields = (obj: Obj) => validateObject(obj).causes.map((c) => c.field);

describe('config keys', () => {
  it.each([
    ['key.name', 0],
    ['KEY_NAME', 0],
    ['.hidden', 0],
    ['a b', 1],
    ['a/b', 1],
    ['.', 1],
    ['..', 1],
    ['..data', 1],
    ['x'.repeat(254), 1],
  ])('%s has %d problem(s)', (key, problems) => {
    expect(isConfigMapKey(key)).toHaveLength(problems);
  });

  it('round-trips utf-8 through base64 without Buffer', () => {
    expect(utf8ToBase64('héllo ✓')).toBe(b64('héllo ✓'));
    expect(base64ToUtf8(b64('héllo ✓'))).toBe('héllo ✓');
  });
});

describe('ConfigMap validation', () => {
  it.each<[string, Obj, string[]]>([
    ['plain data', { data: { 'app.conf': 'x=1' } }, []],
    ['binaryData base64', { binaryData: { blob: b64('\u0000\u0001') } }, []],
    ['bad key', { data: { 'a b': 'x' } }, ['data[a b]']],
    ['non-string value', { data: { a: 1 } }, ['data[a]']],
    ['bad base64 binaryData', { binaryData: { blob: 'not base64!' } }, ['binaryData[blob]']],
    ['key in both maps', { data: { a: 'x' }, binaryData: { a: b64('y') } }, ['binaryData[a]']],
    ['over 1 MiB', { data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }, ['']],
    ['immutable must be a boolean', { immutable: 'yes' }, ['immutable']],
  ])('%s', (_name, body, want) => {
    expect(fields(cm(body))).toEqual(want);
  });

  it('freezes data and immutable itself once immutable', () => {
    const before = cm({ data: { a: 'x' }, immutable: true });
    expect(validateUpdate(before as never, cm({ data: { a: 'y' }, immutable: true }) as never).map((c) => [c.field, c.message])).toEqual([
      ['data', 'Forbidden: field is immutable when `immutable` is set'],
    ]);
    expect(validateUpdate(before as never, cm({ data: { a: 'x' }, immutable: false }) as never).map((c) => c.field)).toEqual(['immutable']);
    expect(validateUpdate(cm({ data: { a: 'x' } }) as never, cm({ data: { a: 'y' }, immutable: true }) as never)).toEqual([]);
  });
});

describe('Secret defaults and validation', () => {
  it('merges stringData into data as base64 (stringData wins) and drops it', () => {
    const s = secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'plain' } });
    expect(s.type).toBe('Opaque');
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ a: b64('new'), b: b64('keep'), c: b64('plain') });
  });

  it('keeps non-string stringData values for validation to report', () => {
    const s = secret({ stringData: { a: 5 } });
    expect(fields(s)).toEqual(['stringData[a]']);
  });

  it.each<[string, Obj, string[]]>([
    ['opaque', { data: { a: b64('x') } }, []],
    ['invalid base64 names the key', { data: { token: 'abc' } }, ['data[token]']],
    ['bad key', { data: { 'no/slash': b64('x') } }, ['data[no/slash]']],
    ['dockerconfigjson without its key', { type: 'kubernetes.io/dockerconfigjson', data: {} }, ['data[.dockerconfigjson]']],
    ['dockerconfigjson not JSON', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } }, ['data[.dockerconfigjson]']],
    ['dockerconfigjson valid', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } }, []],
    ['basic-auth needs username or password', { type: 'kubernetes.io/basic-auth', data: {} }, ['data[username]', 'data[password]']],
    ['basic-auth with password only', { type: 'kubernetes.io/basic-auth', stringData: { password: 'p' } }, []],
    ['tls needs both', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c' } }, ['data[tls.key]']],
    ['service-account-token needs its annotation', { type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]']],
    ['over 1 MiB', { data: { a: b64('x'.repeat(1024 * 1024 + 1)) } }, ['data']],
  ])('%s', (_name, body, want) => {
    expect(fields(secret(body))).toEqual(want);
  });

  it('says the value is redacted, never echoes it', () => {
    const causes = validateObject(secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'hunter2' } })).causes;
    expect(causes[0].message).toContain('<secret contents redacted>');
    expect(causes[0].message).not.toContain('hunter2');
  });

  it('type is immutable; immutable freezes data', () => {
    const before = secret({ data: { a: b64('x') } });
    expect(validateUpdate(before as never, secret({ type: 'kubernetes.io/basic-auth', data: { password: b64('x') } }) as never).map((c) => c.message)).toEqual([
      'Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
    const frozen = secret({ data: { a: b64('x') }, immutable: true });
    expect(validateUpdate(frozen as never, secret({ stringData: { a: 'y' }, immutable: true }) as never).map((c) => c.field)).toEqual(['data']);
  });
});
