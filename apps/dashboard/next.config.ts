// Next.js config for the dashboard. The workspace root holds node_modules, so Turbopack
// resolves from there; responses are not compressed so log and SSE streams flush at once.
import { join } from 'node:path';
import type { NextConfig } from 'next';

const root = join(__dirname, '..', '..');

const config: NextConfig = {
  compress: false,
  poweredByHeader: false,
  reactStrictMode: true,
  turbopack: { root },
  outputFileTracingRoot: root,
  devIndicators: false,
};

export default config;
