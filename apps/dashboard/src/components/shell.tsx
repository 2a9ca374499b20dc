'use client';
// The app frame: sidebar navigation (keyboard reachable, current page marked), theme switch,
// logout, and the providers every view uses (watch hub, toasts).
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { ReactNode, useEffect } from 'react';
import { HubProvider, useStored } from '../client/hooks';
import { NAV_SECTIONS } from '../lib/kinds';
import { ToastProvider } from './ui';
import { BrandMark } from './brand';

export function Shell({ children, apiUrl }: { children: ReactNode; apiUrl: string }) {
  const pathname = usePathname();
  const router = useRouter();
  const link = (href: string, label: string, exact = false) => {
    const current = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
    return (
      <Link key={href} href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
        {label}
      </Link>
    );
  };
  const logout = async () => {
    await fetch('/api/session', { method: 'DELETE' });
    router.replace('/login');
  };
  return (
    <HubProvider>
      <ToastProvider>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <div className="shell">
          <nav className="sidebar" aria-label="Main">
            <Link href="/" className="brand" aria-label="Coxswain overview">
              <BrandMark />
              Coxswain
            </Link>
            <div className="nav-section">
              {link('/', 'Overview', true)}
              {link('/apply', 'Apply YAML')}
              {link('/compare', 'Containers vs VMs')}
            </div>
            {NAV_SECTIONS.map((section) => (
              <div className="nav-section" key={section.title}>
                <h3>{section.title}</h3>
                {section.kinds.map((k) => link(`/r/${k.plural}`, k.title))}
              </div>
            ))}
            <div className="sidebar-foot">
              <ThemeSwitch />
              <span className="small muted mono" title="API server">
                {apiUrl.replace(/^https?:\/\//, '')}
              </span>
              <button type="button" className="btn small" onClick={logout}>
                Log out
              </button>
            </div>
          </nav>
          <main id="content" className="main" tabIndex={-1}>
            {children}
          </main>
        </div>
      </ToastProvider>
    </HubProvider>
  );
}

export function ThemeSwitch() {
  const [theme, setTheme] = useStored('coxswain.theme', 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'dark' || (theme === 'system' && media.matches) ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
  return (
    <label className="field">
      <span className="label">Theme</span>
      <select className="select" value={theme} onChange={(e) => setTheme(e.target.value)} aria-label="Colour theme">
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

/** The heading row of a page: breadcrumbs, title, live state and actions. */
export function PageHead({ title, crumbs, children }: { title: ReactNode; crumbs?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-head">
      <div className="title">
        {crumbs ? <nav className="crumbs" aria-label="Breadcrumb">{crumbs}</nav> : null}
        <h1>{title}</h1>
      </div>
      {children ? <div className="actions">{children}</div> : null}
    </header>
  );
}
