// The HEALTHCHECK of the Switchyard image. The gateway is healthy when GET /health/readiness on
// its port answers 200 (NATS, Redis, streams and model consumers are there); the other
// processes serve no health endpoint and count as healthy while they run.
//
// The process's command line is read from /proc/1/cmdline (tini, then entrypoint.sh, then the
// service and its flags); `node healthcheck.mjs <service> [flags]` checks those instead.
import { readFileSync } from 'node:fs';

const timeoutMs = 4_000;

/** The service's own arguments: what follows `entrypoint.sh` on PID 1's command line. */
function containerArgs() {
  const argv = readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
  const at = argv.findIndex((arg) => arg.endsWith('entrypoint.sh'));
  return at === -1 ? [] : argv.slice(at + 1);
}

/** The value of `--name value`, `--name=value` or `-<short> value` in `args`, else `fallback`. */
function flag(args, name, fallback, short) {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === `--${name}` || (short !== undefined && arg === `-${short}`))
      return args[i + 1] ?? fallback;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return fallback;
}

/** The readiness URL of a gateway started with `args`, or undefined for other services. */
function readinessUrl(args) {
  const [service, ...flags] = args;
  if (service !== 'gateway') return undefined;
  const port = flag(flags, 'port', '4000', 'p');
  const host = flag(flags, 'host', '127.0.0.1');
  const local = ['0.0.0.0', '::', '[::]', ''].includes(host) ? '127.0.0.1' : host;
  const authority = local.includes(':') && !local.startsWith('[') ? `[${local}]` : local;
  return `http://${authority}:${port}/health/readiness`;
}

const args = process.argv.length > 2 ? process.argv.slice(2) : containerArgs();
const url = readinessUrl(args);
if (url === undefined) process.exit(0);
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.ok) process.exit(0);
  process.stderr.write(`${url}: ${response.status} ${await response.text()}\n`);
} catch (error) {
  process.stderr.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
}
process.exit(1);
