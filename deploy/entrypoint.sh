#!/bin/sh
# The entry point of the Switchyard image: the first argument names the process, the rest are
# its own flags (`entrypoint.sh worker --provider openai --config /etc/switchyard/config.yaml`).
# `exec` makes node the process that receives SIGTERM (tini, PID 1, forwards it).
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
usage="usage: entrypoint.sh <gateway|worker|fallback|metering|provider-sim|cli> [flags of that process]"

if [ "$#" -eq 0 ]; then
  echo "$usage" >&2
  exit 2
fi
service="$1"
shift

case "$service" in
  gateway)
    exec node --import tsx "$root/services/gateway/src/main.ts" "$@"
    ;;
  worker)
    exec node --import tsx "$root/services/worker/src/main.ts" "$@"
    ;;
  fallback)
    exec node --import tsx "$root/services/fallback/src/main.ts" "$@"
    ;;
  metering)
    exec node --import tsx "$root/services/metering/src/main.ts" "$@"
    ;;
  provider-sim)
    exec node --import tsx "$root/services/provider-sim/src/main.ts" "$@"
    ;;
  cli)
    exec node "$root/bin/switchyard.mjs" "$@"
    ;;
  help | --help | -h)
    echo "$usage"
    ;;
  *)
    echo "entrypoint.sh: unknown service \"$service\"" >&2
    echo "$usage" >&2
    exit 2
    ;;
esac
