import { clearedSessionCookie, cookieValue, sameOrigin, sessionCookie, SessionStore } from './sessions';

describe('SessionStore', () => {
  it('creates unguessable ids, refreshes on use and expires idle sessions', () => {
    let now = 0;
    const store = new SessionStore(() => now, 1000);
    const a = store.create('token-a');
    const b = store.create('token-b');
    expect(a.id).not.toBe(b.id);
    expect(a.id.length).toBeGreaterThanOrEqual(43);
    now = 900;
    expect(store.get(a.id)?.token).toBe('token-a');
    now = 1800; // a was used at 900; b idle since 0
    expect(store.get(a.id)?.token).toBe('token-a');
    expect(store.has(b.id)).toBe(false);
    expect(store.has(a.id)).toBe(true);
    expect(store.get(b.id)).toBeUndefined();
    expect(store.size()).toBe(1);
  });
  it('delete logs out; unknown ids are nothing', () => {
    const store = new SessionStore();
    const s = store.create('t');
    expect(store.delete(s.id)?.token).toBe('t');
    expect(store.get(s.id)).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
    expect(store.get('forged')).toBeUndefined();
  });
});

describe('cookies and origins', () => {
  it.each([
    ['a=1; coxswain_session=abc%3D; b=2', 'abc='],
    ['coxswain_session=x', 'x'],
    ['other=1', undefined],
    [undefined, undefined],
  ])('cookieValue(%p)', (header, want) => expect(cookieValue(header, 'coxswain_session')).toBe(want));
  it('session cookies are httpOnly and SameSite=Strict', () => {
    expect(sessionCookie('id', 60)).toBe('coxswain_session=id; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(clearedSessionCookie()).toContain('Max-Age=0');
  });
  it.each([
    [undefined, '127.0.0.1:3000', true],
    ['http://127.0.0.1:3000', '127.0.0.1:3000', true],
    ['http://evil.example', '127.0.0.1:3000', false],
    ['http://127.0.0.1:3001', '127.0.0.1:3000', false],
    ['not a url', '127.0.0.1:3000', false],
  ])('sameOrigin(%p, %p) = %p', (origin, host, want) => expect(sameOrigin(origin, host)).toBe(want));
});
