#!/usr/bin/env bash
# Installs whatever is missing for the README commands: system packages (apt, via
# deploy/install-deps.sh) and npm packages (npm ci when node_modules is absent or stale).
# Sourced by scripts/test.sh and deploy/up.sh; leaves Node 24 first on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash deploy/install-deps.sh

# Reinstall when the lockfile's content changed since the last install (a content hash, not
# mtimes: a git checkout or a worktree makes the lockfile look newer without changing it).
stamp=node_modules/.coxswain-lock-sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # `npm install` rather than `npm ci`: the registry mirror here lacks some other-platform
  # optional binaries (e.g. @swc/core-darwin-*), which makes npm ci reject the lockfile.
  echo "ensure-deps: installing npm packages"
  npm install --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

export PATH="$root/node_modules/.bin:$PATH"
export NX_DAEMON=false
node_version="$(node -p 'process.versions.node')"
case "$node_version" in
  24.*) ;;
  *) echo "ensure-deps: expected Node 24 from node_modules/.bin, got $node_version" >&2; exit 1 ;;
esac
