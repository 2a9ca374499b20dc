#!/usr/bin/env bash
# The README's first command (`npm run up`): installs what is missing, then runs the
# launcher in the foreground until Ctrl-C / SIGTERM.
set -euo pipefail
source "$(dirname "$0")/../scripts/ensure-deps.sh"
node scripts/build.js
exec node dist/deploy/up.js "$@"
