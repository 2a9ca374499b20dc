#!/usr/bin/env bash
# The README's first command (`npm run up`): installs what is missing, then runs the
# launcher in the foreground until Ctrl-C / SIGTERM.
set -euo pipefail
source "$(dirname "$0")/../scripts/ensure-deps.sh"
exec node -r @swc-node/register deploy/up.ts "$@"
