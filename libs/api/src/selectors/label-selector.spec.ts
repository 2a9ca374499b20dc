import { StatusError } from '../status/status';
import {
  formatRequirements,
  labelSelectorToRequirements,
  matchesLabels,
  parseLabelSelector,
  selectorMatches,
} from './label-selector';

const web = { app: 'web', tier: 'frontend', version: '3' };

describe('parseLabelSelector + matchesLabels', () => {
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', web, true],
    ['', undefined, true],
    ['app=web', web, true],
    ['app==web', web, true],
    ['app=db', web, false],
    ['app!=db', web, true],
    ['app!=web', web, false],
    ['missing!=x', web, true],
    ['app=web,tier=frontend', web, true],
    ['app=web,tier=backend', web, false],
    ['app in (web,api)', web, true],
    ['app in (db)', web, false],
    ['app notin (db,cache)', web, true],
    ['app notin (web)', web, false],
    ['missing notin (x)', web, true],
    ['app', web, true],
    ['missing', web, false],
    ['!missing', web, true],
    ['!app', web, false],
    ['version>2', web, true],
    ['version<3', web, false],
    ['tier', undefined, false],
    ['!tier', undefined, true],
    [' app = web , tier in ( frontend ) ', web, true],
    ['example.com/role=x', { 'example.com/role': 'x' }, true],
    ['empty=', { empty: '' }, true],
    ['empty=', { other: '' }, false],
  ])('%p against %p → %p', (selector, labels, expected) => {
    expect(matchesLabels(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it.each([
    'app=web,',
    ',app=web',
    'app in web',
    'app in (web',
    'app in ()',
    'app=we b',
    '=web',
    'app=web=x',
    'ap p',
    'app>x',
    '-bad=x',
    'app=-bad-',
    'a/b/c=x',
    '!',
    'app in (a,b) x',
  ])('rejects %p with a 400 Status', (selector) => {
    let error: unknown;
    try {
      parseLabelSelector(selector);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(400);
    expect((error as StatusError).message).toContain('unable to parse requirement');
  });

  it('round-trips through formatRequirements', () => {
    const text = 'app=web,tier!=db,env in (a,b),x notin (y),z,!w';
    expect(parseLabelSelector(formatRequirements(parseLabelSelector(text)))).toEqual(parseLabelSelector(text));
  });
});

describe('structured LabelSelector', () => {
  it.each<[Parameters<typeof selectorMatches>[0], Record<string, string>, boolean]>([
    [{ matchLabels: { app: 'web' } }, web, true],
    [{ matchLabels: { app: 'db' } }, web, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'x'] }] }, web, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, web, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, web, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, web, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'version', operator: 'In', values: ['3'] }] }, web, true],
    [{}, web, true],
    [undefined, web, true],
  ])('%j matches %j → %p', (selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /Required value/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /Forbidden/],
    [{ matchExpressions: [{ key: 'a', operator: 'Equals' as 'In', values: ['x'] }] }, /Unsupported value/],
  ])('rejects %j', (selector, message) => {
    expect(() => labelSelectorToRequirements(selector as Parameters<typeof labelSelectorToRequirements>[0])).toThrow(message);
  });
});
