#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, then runs the whole
# suite (unit, integration, e2e) in one jest process and writes reports/jest.json.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"

mkdir -p reports
# Nx computes the project graph once so the module-boundary lint test can use it.
nx show projects >/dev/null

# --forceExit: a leaked handle must not hang CI; failures still fail the run.
exec jest -c jest.config.js --ci --maxWorkers=2 --forceExit \
  --json --outputFile=reports/jest.json "$@"
