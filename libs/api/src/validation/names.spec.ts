import { isDns1123Label, isDns1123Subdomain, isEnvVarName, isLabelValue, isPortName, isQualifiedName } from './names';

const valid = (errors: string[]) => errors.length === 0;

describe('name rules', () => {
  it.each<[string, boolean]>([
    ['web', true],
    ['web-1', true],
    ['1web', true],
    ['a', true],
    ['a.b.c', true],
    ['Web', false],
    ['-web', false],
    ['web-', false],
    ['web_1', false],
    ['', false],
    ['a..b', false],
    ['x'.repeat(253), true],
    ['x'.repeat(254), false],
  ])('DNS-1123 subdomain %p → %p', (name, ok) => expect(valid(isDns1123Subdomain(name))).toBe(ok));

  it.each<[string, boolean]>([
    ['web', true],
    ['a.b', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
  ])('DNS-1123 label %p → %p', (name, ok) => expect(valid(isDns1123Label(name))).toBe(ok));

  it.each<[string, boolean]>([
    ['app', true],
    ['App_Name.x', true],
    ['example.com/app', true],
    ['kubernetes.io/hostname', true],
    ['/app', false],
    ['Example.com/app', false],
    ['a/b/c', false],
    ['app-', false],
    ['', false],
    ['x'.repeat(64), false],
  ])('qualified name %p → %p', (name, ok) => expect(valid(isQualifiedName(name))).toBe(ok));

  it.each<[string, boolean]>([
    ['', true],
    ['v1.2_3-x', true],
    ['-x', false],
    ['a b', false],
    ['x'.repeat(64), false],
  ])('label value %p → %p', (value, ok) => expect(valid(isLabelValue(value))).toBe(ok));

  it.each<[string, boolean]>([
    ['PATH', true],
    ['my.env-name', true],
    ['1X', false],
    ['A B', false],
  ])('env var name %p → %p', (value, ok) => expect(valid(isEnvVarName(value))).toBe(ok));

  it.each<[string, boolean]>([
    ['http', true],
    ['web-8080', true],
    ['8080', false],
    ['a--b', false],
    ['Http', false],
    ['averyveryverylongname', false],
  ])('port name %p → %p', (value, ok) => expect(valid(isPortName(value))).toBe(ok));
});
