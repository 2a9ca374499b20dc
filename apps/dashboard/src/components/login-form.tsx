'use client';
// Paste a bearer token; the dashboard server checks it against the API server and keeps it.
import { useRouter, useSearchParams } from 'next/navigation';
import { FormEvent, Suspense, useState } from 'react';
import { BrandMark } from './brand';

function Form() {
  const router = useRouter();
  const params = useSearchParams();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        setError(body.message ?? `login failed (${res.status})`);
        return;
      }
      const next = params.get('next');
      router.replace(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card">
      <div className="card-head">
        <div className="brand">
          <BrandMark />
          Coxswain
        </div>
      </div>
      <div className="card-body">
        <form onSubmit={submit} aria-describedby="login-help">
          <div className="field">
            <label htmlFor="token">Bearer token</label>
            <textarea id="token" name="token" className="textarea" rows={3} value={token} onChange={(e) => setToken(e.target.value)} autoFocus autoComplete="off" spellCheck={false} aria-invalid={Boolean(error)} aria-describedby={error ? 'login-error' : undefined} required />
            <span id="login-help" className="hint">
              The token from your kubeconfig (<code>users[].user.token</code>). It stays on the dashboard server; the browser only gets a session cookie.
            </span>
            {error ? (
              <span id="login-error" className="field-error" role="alert">
                {error}
              </span>
            ) : null}
          </div>
          <button className="btn primary" type="submit" disabled={busy || !token.trim()}>
            {busy ? 'Checking…' : 'Log in'}
          </button>
        </form>
      </div>
    </div>
  );
}

export function LoginForm() {
  return (
    <Suspense>
      <Form />
    </Suspense>
  );
}
