// Everything but the login page: requires a session, then renders the navigation shell.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { dashboardContext } from '../../server/context';
import { SESSION_COOKIE } from '../../server/sessions';
import { Shell } from '../../components/shell';

export const dynamic = 'force-dynamic';

export default async function MainLayout({ children }: { children: React.ReactNode }) {
  const store = await cookies();
  const ctx = dashboardContext();
  if (!ctx.sessions.get(store.get(SESSION_COOKIE)?.value)) redirect('/login');
  return <Shell apiUrl={ctx.config.apiUrl}>{children}</Shell>;
}
