// Root layout: the theme is applied by an inline script before first paint (no flash).
import type { Metadata } from 'next';
import '@xterm/xterm/css/xterm.css';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Coxswain', template: '%s · Coxswain' },
  description: 'Containers and virtual machines on one cluster',
};

const THEME_SCRIPT = `try{var t=localStorage.getItem('coxswain.theme')||'system';var d=t==='dark'||(t==='system'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.dataset.theme=d?'dark':'light'}catch(e){}`;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
