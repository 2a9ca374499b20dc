import { bootstrapTokenSecret } from '@coxswain/api';
import { tokenIdOf, tokenRows } from './token';

describe('coxctl token list rows', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  it.each([
    ['a 5-hour token', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T15:00:00Z'), description: 'rack 3' }), ['abcdef.0123456789abcdef', '5h', '2026-12-05T15:00:00Z', 'authentication,signing', 'rack 3', '<none>']],
    ['a token that never expires', bootstrapTokenSecret(token, { extraGroups: ['system:bootstrappers:workers'] }), ['abcdef.0123456789abcdef', '<forever>', '<never>', 'authentication,signing', '<none>', 'system:bootstrappers:workers']],
    ['an expired token', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T09:00:00Z') }), ['abcdef.0123456789abcdef', '<invalid>', '2026-12-05T09:00:00Z', 'authentication,signing', '<none>', '<none>']],
  ])('%s', (_n, secret, want) => {
    expect(tokenRows([secret], now)).toEqual([['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'], want]);
  });

  it('skips Secrets that are not bootstrap tokens', () => {
    expect(tokenRows([{ ...bootstrapTokenSecret(token), type: 'Opaque' }], now)).toHaveLength(1);
  });
});

describe('token ids', () => {
  it.each([
    ['abcdef', 'abcdef'],
    ['abcdef.0123456789abcdef', 'abcdef'],
  ])('%s → %s', (text, id) => expect(tokenIdOf(text)).toBe(id));
  it('refuses anything else with kubeadm\'s message', () => expect(() => tokenIdOf('ABC')).toThrow('error: given token or token id "ABC" didn\'t match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}\\.[a-z0-9]{16}"'));
});
