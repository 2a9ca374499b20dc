// Login sessions: the browser holds only a random id in an httpOnly cookie; the bearer token
// stays in this process. Idle sessions expire.
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'coxswain_session';
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

export interface Session {
  id: string;
  token: string;
  createdAt: number;
  lastSeen: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now, private readonly idleMs = SESSION_IDLE_MS) {}

  create(token: string): Session {
    const id = randomBytes(32).toString('base64url');
    const session = { id, token, createdAt: this.now(), lastSeen: this.now() };
    this.sessions.set(id, session);
    return session;
  }

  /** The live session for a cookie value, refreshed; undefined when unknown or idle too long. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() - session.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.now();
    return session;
  }

  /** Whether a session is still known, without refreshing it. */
  has(id: string): boolean {
    const session = this.sessions.get(id);
    return Boolean(session) && this.now() - session!.lastSeen <= this.idleMs;
  }

  delete(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    return session;
  }

  size(): number {
    return this.sessions.size;
  }
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(id: string, maxAgeSeconds = SESSION_IDLE_MS / 1000): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

export const clearedSessionCookie = () => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

/**
 * Browsers send Origin on cross-site and on state-changing requests; a mismatch with Host
 * means another site is driving the user's browser (SameSite=Strict already drops the cookie,
 * this is the second lock).
 */
export function sameOrigin(origin: string | null | undefined, host: string | null | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
