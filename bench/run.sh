#!/usr/bin/env bash
# `npm run bench -- NAME` runs bench/NAME/main.ts on Node 24; each ends with one JSON line.
set -euo pipefail
name="${1:?usage: npm run bench -- NAME  (one of: $(ls -d "$(dirname "$0")"/*/ | xargs -n1 basename | tr '\n' ' '))}"
shift
source "$(dirname "$0")/../scripts/ensure-deps.sh"
main="bench/$name/main.ts"
[ -f "$main" ] || { echo "no benchmark '$name' (expected $main)" >&2; exit 2; }
exec node --expose-gc -r @swc-node/register "$main" "$@"
