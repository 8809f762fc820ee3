import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@switchyard/telemetry';
import { callKey, callText, settleCall } from './call-ledger';
import { composeChoices, totalCompletionTokens, type SimChoice, type SimRequest } from './engine';
import { entraTokenPrefix } from './entra-token';
import { Exchange } from './exchange';
import { applyFault } from './fault-effects';
import { parseFaultSpec, type FaultSpec } from './faults';
import { readBody, send } from './http-io';
import { parseJson } from './json';
import { latencyModel } from './latency';
import { measurePrompt, type MeasuredPrompt } from './prompt';
import { isErrorCase, type ErrorCase, type ProviderSim, type Route } from './providers/provider';
import { nominalSnapshot, type DeploymentLimiter } from './rate-limit';
import type { ResolvedSettings } from './scenario';
import type { SimState } from './sim-state';

/** The per-request fault header: `x-sim-fault: <kind>[; key=value]…`. */
export const FAULT_HEADER = 'x-sim-fault';

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A request that passed every check, or the error the provider answers with. */
type Checked =
  | { ok: true; request: SimRequest; apiKey: string; headerFault: FaultSpec | undefined }
  | { ok: false; error: ErrorCase }
  | { ok: false; error: undefined };

/**
 * The provider's checks, in its order: body size, version headers, key, JSON, fields; then the
 * `x-sim-fault` header. `error: undefined` means the client went away while sending.
 */
async function check(
  req: IncomingMessage,
  sim: ProviderSim,
  route: Route,
  state: SimState,
): Promise<Checked> {
  const body = await readBody(req);
  if (!body.ok)
    return { ok: false, error: body.reason === 'too_large' ? { kind: 'too_large' } : undefined };
  const problem = sim.checkRequest(req.headers, route);
  if (problem !== undefined) return { ok: false, error: problem };
  const apiKey = sim.apiKey(req.headers, route);
  if (apiKey === undefined) return { ok: false, error: { kind: 'missing_key' } };
  if (apiKey.startsWith(entraTokenPrefix) && !state.entraTokens.has(apiKey)) {
    return { ok: false, error: { kind: 'invalid_key', key: apiKey } };
  }
  if (sim.issuedTokens === 'google') {
    if (!state.googleTokens.has(apiKey))
      return { ok: false, error: { kind: 'invalid_key', key: apiKey } };
  } else if (state.apiKeys !== undefined && !state.apiKeys.has(apiKey)) {
    return { ok: false, error: { kind: 'invalid_key', key: apiKey } };
  }
  if (sim.verifyRequest !== undefined) {
    const failed = await sim.verifyRequest({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body: body.text,
    });
    if (failed !== undefined) return { ok: false, error: failed };
  }
  const json = parseJson(body.text);
  if (!json.ok) return { ok: false, error: { kind: 'bad_json' } };
  const request = sim.parse(json.value, route, req.headers);
  if (isErrorCase(request)) return { ok: false, error: request };
  const header = headerValue(req, FAULT_HEADER);
  if (header === undefined) return { ok: true, request, apiKey, headerFault: undefined };
  const parsed = parseFaultSpec(header);
  if (!parsed.ok) {
    return {
      ok: false,
      error: { kind: 'invalid_request', message: `${FAULT_HEADER}: ${parsed.message}` },
    };
  }
  return { ok: true, request, apiKey, headerFault: parsed.value };
}

/** The automatic faults: the context window, then enforced rate limits (which take capacity). */
function automaticFault(
  settings: ResolvedSettings,
  measured: MeasuredPrompt,
  choices: readonly SimChoice[],
  limiter: DeploymentLimiter,
  now: number,
): FaultSpec | undefined {
  if (settings.contextWindow !== undefined && measured.promptTokens > settings.contextWindow) {
    return {
      kind: 'context_length',
      params: { tokens: measured.promptTokens, max: settings.contextWindow },
    };
  }
  const admitted = limiter.admit(measured.promptTokens + totalCompletionTokens(choices), now);
  if (admitted.ok) return undefined;
  return {
    kind: 'rate_limit',
    params: {
      retry_after: Math.max(Math.ceil(admitted.retryAfterMs / 1000), 1),
      scope: admitted.scope,
      requested: admitted.requested,
    },
  };
}

/**
 * Serves one request on a provider route: the provider's checks, then the fault (the header
 * first, then the scripted rules, then the automatic ones), then the fault's effect or the
 * answer.
 */
export async function handleProviderRequest(
  req: IncomingMessage,
  res: ServerResponse,
  sim: ProviderSim,
  route: Route,
  state: SimState,
  log: Logger,
): Promise<void> {
  const requestId = sim.newRequestId();
  const checked = await check(req, sim, route, state);
  if (!checked.ok) {
    if (checked.error === undefined) return;
    state.stats.rejected({
      provider: sim.name,
      ...(route.deployment !== undefined ? { deployment: route.deployment } : {}),
    });
    send(
      res,
      sim.error(checked.error, requestId, route),
      sim.headers(requestId, nominalSnapshot, Date.now()),
    );
    if (checked.error.kind === 'too_large') res.once('finish', () => req.socket.destroy());
    return;
  }
  const { request, apiKey } = checked;
  const deployment = route.deployment ?? `${sim.name}:${request.model}`;
  const target = { provider: sim.name, deployment, model: request.model };
  state.stats.request(target, request.stream);
  const settings = state.settings(deployment, sim.name);
  const measured = measurePrompt(request.prompt);
  // An embeddings request writes no text: its answer is vectors (see providers/embeddings.sim.ts).
  const choices =
    request.embeddings !== undefined
      ? []
      : composeChoices(
          request,
          settings.replyTokens,
          () => sim.newToolCallId(),
          settings.randomReplies ? () => state.replySeed() : undefined,
        );
  const now = Date.now();
  const limiter = state.limiter(deployment, settings, now);
  const fault =
    checked.headerFault ??
    state.faults.take({ ...target, stream: request.stream }, () => state.faultRandom()) ??
    automaticFault(settings, measured, choices, limiter, now);
  const call = state.calls.open({
    ...target,
    stream: request.stream,
    requestId,
    key: callKey(request.lastUserText),
    text: callText(choices),
    promptTokens: measured.promptTokens,
    completionTokens: totalCompletionTokens(choices),
    fault: fault ?? null,
    userAgent: headerValue(req, 'user-agent') ?? null,
  });
  const exchange = new Exchange({
    req,
    res,
    sim,
    route,
    state,
    request,
    target,
    settings,
    measured,
    choices,
    requestId,
    headers: sim.headers(requestId, limiter.snapshot(now), now),
    latency: latencyModel(settings.latency, state.random(deployment)),
    apiKey,
    call,
  });
  if (fault === undefined) {
    await exchange.serve();
    return;
  }
  state.stats.fault(target, fault.kind);
  if (log.isLevelEnabled('debug')) {
    log.debug({ deployment, fault: fault.kind, params: fault.params }, 'fault injected');
  }
  await applyFault(exchange, fault);
  settleCall(call, 'faulted');
}
