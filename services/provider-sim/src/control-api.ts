import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallQuery } from './call-ledger';
import { readBody, send } from './http-io';
import { isObject, parseJson } from './json';
import {
  parseFaultRules,
  parseLatency,
  parseSettings,
  simProviders,
  type Checked,
} from './scenario';
import type { SettingsTarget, SimState } from './sim-state';

function reply(res: ServerResponse, status: number, body: unknown): void {
  send(res, {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function problem(res: ServerResponse, status: number, message: string): void {
  reply(res, status, { error: { message } });
}

/** Splits `{ deployment?, provider?, …rest }` into a target and the rest. */
function splitTarget(
  body: unknown,
): Checked<{ target: SettingsTarget; rest: Record<string, unknown> }> {
  if (!isObject(body)) return { ok: false, message: 'expected a JSON object' };
  const { deployment, provider, ...rest } = body;
  if (deployment !== undefined && typeof deployment !== 'string') {
    return { ok: false, message: 'deployment must be a string' };
  }
  if (provider !== undefined && !(simProviders as readonly unknown[]).includes(provider)) {
    return { ok: false, message: `provider must be one of ${simProviders.join(', ')}` };
  }
  const target: SettingsTarget = {
    ...(typeof deployment === 'string' ? { deployment } : {}),
    ...(typeof provider === 'string' ? { provider } : {}),
  };
  return { ok: true, value: { target, rest } };
}

/** The ledger query of `GET /_sim/calls?key=…&deployment=…`. */
function callQuery(query: URLSearchParams): CallQuery {
  const key = query.get('key');
  const deployment = query.get('deployment');
  return {
    ...(key !== null ? { key } : {}),
    ...(deployment !== null ? { deployment } : {}),
  };
}

function faultRulesOf(body: unknown): unknown {
  if (Array.isArray(body)) return body;
  if (isObject(body) && Array.isArray(body['faults'])) return body['faults'];
  return [body];
}

/**
 * The control API under `/_sim`: `GET health`, `GET stats`, `GET calls[?key=…&deployment=…]`,
 * `GET|POST|DELETE faults`, `DELETE faults/<id>`, `POST latency`, `POST settings`,
 * `POST reset`. Bodies are JSON; errors are `{ error: { message } }` with 400 or 404.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  state: SimState,
): Promise<void> {
  const method = req.method ?? 'GET';
  const read = await readBody(req, 1024 * 1024);
  if (!read.ok) return;
  let body: unknown = undefined;
  if (read.text.trim() !== '') {
    const parsed = parseJson(read.text);
    if (!parsed.ok) return problem(res, 400, 'the body is not valid JSON');
    body = parsed.value;
  }
  const route = `${method} ${path.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /_sim/health':
      return reply(res, 200, { ok: true });
    case 'GET /_sim/stats':
      return reply(res, 200, state.stats.snapshot());
    case 'GET /_sim/calls':
      return reply(res, 200, { calls: state.calls.list(callQuery(query)) });
    case 'GET /_sim/faults':
      return reply(res, 200, { faults: state.faults.list() });
    case 'POST /_sim/faults': {
      const rules = parseFaultRules(faultRulesOf(body));
      if (!rules.ok) return problem(res, 400, rules.message);
      const added = state.faults.add(rules.value);
      if (!added.ok) return problem(res, 400, added.message);
      return reply(res, 201, { faults: added.value });
    }
    case 'DELETE /_sim/faults':
      return reply(res, 200, { cleared: state.faults.clear() });
    case 'POST /_sim/latency':
    case 'POST /_sim/settings': {
      const split = splitTarget(body ?? {});
      if (!split.ok) return problem(res, 400, split.message);
      if (route === 'POST /_sim/latency') {
        const latency = parseLatency(split.value.rest);
        if (!latency.ok) return problem(res, 400, latency.message);
        state.configure(split.value.target, { latency: latency.value });
      } else {
        const settings = parseSettings(split.value.rest);
        if (!settings.ok) return problem(res, 400, settings.message);
        state.configure(split.value.target, settings.value);
      }
      return reply(res, 200, { ok: true });
    }
    case 'POST /_sim/reset':
      state.reset();
      return reply(res, 200, { ok: true });
  }
  const faultId = /^DELETE \/_sim\/faults\/([^/]+)$/.exec(route)?.[1];
  if (faultId !== undefined) {
    return state.faults.remove(faultId)
      ? reply(res, 200, { removed: faultId })
      : problem(res, 404, `no fault rule ${faultId}`);
  }
  return problem(res, 404, `unknown control route: ${route}`);
}
