import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@switchyard/telemetry';
import type { CallQuery, SimCall } from './call-ledger';
import { handleControl } from './control-api';
import type { FaultRuleInput, FaultRuleView } from './faults';
import { send, trackGone } from './http-io';
import { handleProviderRequest } from './provider-handler';
import { anthropicSim } from './providers/anthropic.sim';
import { cohereSim } from './providers/cohere.sim';
import { bedrockSim } from './providers/bedrock.sim';
import { geminiSim } from './providers/gemini.sim';
import { azureSim, openAiSim } from './providers/openai.sim';
import type { ProviderSim } from './providers/provider';
import {
  azureEmbeddingsSim,
  bedrockEmbeddingsSim,
  cohereEmbeddingsSim,
  geminiEmbeddingsSim,
  openAiEmbeddingsSim,
} from './providers/embeddings.sim';
import { vertexEmbeddingsSim } from './providers/vertex-embeddings.sim';
import { handleEntraToken } from './entra-token';
import { handleGoogleToken, serviceAccountKey, type GoogleAuthorizedUser } from './google-token';
import { vertexAnthropicSim, vertexGeminiSim } from './providers/vertex.sim';
import { resolveRoute } from './routing';
import {
  parseFaultRules,
  parseLatency,
  parseScenario,
  parseSettings,
  type DeploymentSettings,
  type LatencyConfig,
  type SimProviderName,
  type SimScenario,
} from './scenario';
import { SimState, type SettingsTarget } from './sim-state';
import type { SimStats } from './stats';

const sims: Record<SimProviderName, ProviderSim> = {
  openai: openAiSim,
  azure: azureSim,
  anthropic: anthropicSim,
  gemini: geminiSim,
  cohere: cohereSim,
  bedrock: bedrockSim,
  vertex_gemini: vertexGeminiSim,
  vertex_anthropic: vertexAnthropicSim,
};

/** The APIs with an embeddings endpoint, by provider. */
const embeddingsSims: Partial<Record<SimProviderName, ProviderSim>> = {
  openai: openAiEmbeddingsSim,
  azure: azureEmbeddingsSim,
  gemini: geminiEmbeddingsSim,
  cohere: cohereEmbeddingsSim,
  bedrock: bedrockEmbeddingsSim,
  vertex_gemini: vertexEmbeddingsSim,
};

/** Options of {@link startProviderSim}. */
export interface ProviderSimOptions {
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Settings and faults at start-up (validated; an invalid scenario throws). */
  scenario?: SimScenario;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /**
   * How many calls the ledger keeps, the newest; a small value is for tests of the bound.
   * @defaultValue 200000
   */
  callLedgerLimit?: number;
}

/** A running simulator. */
export interface ProviderSimHandle {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every connection, held ones included. */
  stop(): Promise<void>;
  /** Replaces all fault rules. Throws on an invalid rule. */
  setFaults(rules: readonly FaultRuleInput[]): FaultRuleView[];
  /** Adds fault rules after the existing ones. Throws on an invalid rule. */
  addFaults(rules: readonly FaultRuleInput[]): FaultRuleView[];
  /** The fault rules with their counters. */
  faults(): FaultRuleView[];
  /** Sets latency for a deployment, a provider, or (no target) all. */
  setLatency(latency: LatencyConfig, target?: SettingsTarget): void;
  /** Changes any settings for a deployment, a provider, or (no target) all. */
  configure(settings: DeploymentSettings, target?: SettingsTarget): void;
  /** The simulator's own counts. */
  stats(): SimStats;
  /**
   * The call ledger, oldest first: every request that reached a provider (one per `requests`
   * count) with its call key, its whole reply text and its outcome; only calls with `key`
   * and/or `deployment` when given. The entries are copies: ask again to see a call end.
   */
  calls(query?: CallQuery): SimCall[];
  /**
   * Registers a Google service account's public key (PEM): from then on the token endpoint
   * checks the signature of its JWTs against it. Kept across reset().
   */
  addGoogleServiceAccount(clientEmail: string, publicKeyPem: string): void;
  /**
   * Registers a user's OAuth client and refresh token (as in gcloud's application default
   * credentials): from then on the token endpoint's refresh_token grant accepts that refresh
   * token, from that client with that secret; no other refresh token is accepted. Kept across
   * reset().
   */
  addGoogleAuthorizedUser(user: GoogleAuthorizedUser): void;
  /** Back to the state right after start-up: scenario faults and settings, no counts or calls. */
  reset(): void;
}

function createHandler(state: SimState, log: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    trackGone(res);
    const method = req.method ?? 'GET';
    const routed = resolveRoute(method, req.url ?? '/');
    const work = (async (): Promise<void> => {
      switch (routed.kind) {
        case 'control':
          return handleControl(req, res, routed.path, routed.query, state);
        case 'entra_token':
          return handleEntraToken(req, res, routed.tenant, state);
        case 'google_token':
          return handleGoogleToken(req, res, state);
        case 'provider':
          return handleProviderRequest(
            req,
            res,
            (routed.route.embeddings === true
              ? embeddingsSims[routed.route.provider]
              : undefined) ?? sims[routed.route.provider],
            routed.route,
            state,
            log,
          );
        case 'unknown': {
          req.resume();
          const sim = sims[routed.provider];
          state.stats.rejected({
            provider: sim.name,
            ...(routed.deployment !== undefined ? { deployment: routed.deployment } : {}),
          });
          send(
            res,
            sim.error({ kind: 'unknown_path', method, path: routed.path }, sim.newRequestId()),
          );
          return;
        }
      }
    })();
    work.catch((error: unknown) => {
      log.error({ err: error, url: req.url }, 'provider-sim request failed');
      if (!res.headersSent) {
        send(res, {
          status: 500,
          headers: { 'content-type': 'text/plain' },
          body: 'provider-sim internal error',
        });
      } else {
        res.destroy();
      }
    });
  };
}

function compileRules(rules: readonly FaultRuleInput[]): FaultRuleInput[] {
  const checked = parseFaultRules(rules);
  if (!checked.ok) throw new Error(`invalid fault rule: ${checked.message}`);
  return checked.value;
}

/**
 * Starts the provider simulator: OpenAI, Azure OpenAI, Anthropic and Gemini HTTP APIs on one
 * port (routing, faults and the control API are described in the README).
 */
export async function startProviderSim(
  options: ProviderSimOptions = {},
): Promise<ProviderSimHandle> {
  const scenario = parseScenario(options.scenario ?? {});
  if (!scenario.ok) throw new Error(`invalid scenario: ${scenario.message}`);
  const state = new SimState(scenario.value, options.callLedgerLimit);
  const log = options.logger ?? createLogger({ name: 'provider-sim', level: 'silent' });
  const server = createServer({ keepAliveTimeout: 65_000 }, createHandler(state, log));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  log.info({ port, host }, 'provider-sim listening');
  return {
    url: `http://${shownHost}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: (rules) => {
      const compiled = compileRules(rules);
      state.faults.clear();
      const added = state.faults.add(compiled);
      if (!added.ok) throw new Error(`invalid fault rule: ${added.message}`);
      return added.value;
    },
    addFaults: (rules) => {
      const added = state.faults.add(compileRules(rules));
      if (!added.ok) throw new Error(`invalid fault rule: ${added.message}`);
      return added.value;
    },
    faults: () => state.faults.list(),
    setLatency: (latency, target = {}) => {
      const checked = parseLatency(latency);
      if (!checked.ok) throw new Error(`invalid latency: ${checked.message}`);
      state.configure(target, { latency: checked.value });
    },
    configure: (settings, target = {}) => {
      const checked = parseSettings(settings);
      if (!checked.ok) throw new Error(`invalid settings: ${checked.message}`);
      state.configure(target, checked.value);
    },
    stats: () => state.stats.snapshot(),
    calls: (query) => state.calls.list(query),
    addGoogleServiceAccount: (clientEmail, publicKeyPem) => {
      state.googleServiceAccounts.set(clientEmail, serviceAccountKey(publicKeyPem));
    },
    addGoogleAuthorizedUser: (user) => {
      state.googleAuthorizedUsers.set(user.refreshToken, { ...user });
    },
    reset: () => state.reset(),
  };
}
