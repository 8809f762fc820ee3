#!/bin/sh
# The entry point of the Switchyard image: the first argument names the process, the rest are
# its own flags (`entrypoint.sh worker --provider openai --config /etc/switchyard/config.yaml`).
# The services run as compiled by tools/build.mjs (dist/services/<name>/main.mjs). `exec` makes
# node the process that receives SIGTERM (tini, PID 1, forwards it).
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
# The node flags of every service: libs/entrypoint/src/service-node-flags.ts says why
# (test/deploy keeps the two equal).
node_flags="--max-semi-space-size=32 --heap-growing-percent=50"
usage="usage: entrypoint.sh <gateway|worker|fallback|metering|batch|provider-sim|cli> [flags of that process]"

if [ "$#" -eq 0 ]; then
  echo "$usage" >&2
  exit 2
fi
service="$1"
shift

case "$service" in
  gateway)
    exec node $node_flags "$root/dist/services/gateway/main.mjs" "$@"
    ;;
  worker)
    exec node $node_flags "$root/dist/services/worker/main.mjs" "$@"
    ;;
  fallback)
    exec node $node_flags "$root/dist/services/fallback/main.mjs" "$@"
    ;;
  metering)
    exec node $node_flags "$root/dist/services/metering/main.mjs" "$@"
    ;;
  batch)
    exec node $node_flags "$root/dist/services/batch/main.mjs" "$@"
    ;;
  provider-sim)
    exec node $node_flags "$root/dist/services/provider-sim/main.mjs" "$@"
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
