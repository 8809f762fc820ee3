import type { KeyObject } from 'node:crypto';
import { CallLedger } from './call-ledger';
import { FaultBook } from './faults';
import type { GoogleAuthorizedUser } from './google-token';
import { fnv1a } from './prompt';
import { createRandom } from './latency';
import { PromptCache } from './prompt-cache';
import { DeploymentLimiter } from './rate-limit';
import {
  resolveSettings,
  type DeploymentSettings,
  type ResolvedSettings,
  type SimScenario,
} from './scenario';
import { StatsBook } from './stats';

/** Whose settings a run-time change applies to: a deployment, a provider, or (neither) all. */
export interface SettingsTarget {
  deployment?: string;
  provider?: string;
}

function merge(
  base: DeploymentSettings | undefined,
  change: DeploymentSettings,
): DeploymentSettings {
  return {
    ...base,
    ...change,
    ...(change.latency !== undefined ? { latency: { ...base?.latency, ...change.latency } } : {}),
  };
}

/**
 * Everything the simulator remembers: the scenario, run-time setting changes, fault rules,
 * stats, the call ledger, and per deployment its prompt cache, rate-limit buckets and random
 * source. `reset()` returns to the state right after start-up.
 */
export class SimState {
  readonly faults = new FaultBook();
  readonly stats = new StatsBook();
  /** The Entra ID access tokens issued (entra-token.ts), which Azure requests may carry. */
  readonly entraTokens = new Set<string>();
  /** The Google access tokens issued (google-token.ts), the only ones Vertex AI requests may carry. */
  readonly googleTokens = new Set<string>();
  /** Public keys of service accounts, by client email, that their JWTs must verify against. */
  readonly googleServiceAccounts = new Map<string, KeyObject>();
  /** Users whose refresh tokens the token endpoint accepts, by refresh token. */
  readonly googleAuthorizedUsers = new Map<string, GoogleAuthorizedUser>();
  readonly calls: CallLedger;
  private runtimeDefaults: DeploymentSettings | undefined;
  private readonly runtimeProviders = new Map<string, DeploymentSettings>();
  private readonly runtimeDeployments = new Map<string, DeploymentSettings>();
  private readonly resolved = new Map<string, ResolvedSettings>();
  private readonly caches = new Map<string, PromptCache>();
  private readonly limiters = new Map<string, { key: string; limiter: DeploymentLimiter }>();
  private readonly randoms = new Map<string, () => number>();
  private faultRandomSource: () => number;
  private replyRandomSource: () => number;
  readonly apiKeys: ReadonlySet<string> | undefined;

  /** `callLedgerLimit`: how many calls the ledger keeps (the newest). */
  constructor(
    private readonly scenario: SimScenario,
    callLedgerLimit?: number,
  ) {
    this.apiKeys = scenario.apiKeys !== undefined ? new Set(scenario.apiKeys) : undefined;
    this.calls = new CallLedger(callLedgerLimit);
    this.faultRandomSource = createRandom(this.seed());
    this.replyRandomSource = this.replyRandom();
    this.loadScenarioFaults();
  }

  private seed(): number {
    return this.scenario.seed ?? 1;
  }

  private loadScenarioFaults(): void {
    const added = this.faults.add(this.scenario.faults ?? []);
    if (!added.ok) throw new Error(`scenario faults: ${added.message}`);
  }

  private replyRandom(): () => number {
    return createRandom(fnv1a('random replies', this.seed() >>> 0));
  }

  /** The random source for fault probabilities. */
  faultRandom(): number {
    return this.faultRandomSource();
  }

  /** A 32-bit seed for the filler words of one random reply. */
  replySeed(): number {
    return Math.floor(this.replyRandomSource() * 0x1_0000_0000);
  }

  /** The settings of a deployment: defaults ← provider ← deployment, scenario then run time. */
  settings(deployment: string, provider: string): ResolvedSettings {
    const key = `${provider}\u0000${deployment}`;
    let settings = this.resolved.get(key);
    if (settings === undefined) {
      const providers = this.scenario.providers as
        Record<string, DeploymentSettings | undefined> | undefined;
      settings = resolveSettings([
        this.scenario.defaults,
        this.runtimeDefaults,
        providers?.[provider],
        this.runtimeProviders.get(provider),
        this.scenario.deployments?.[deployment],
        this.runtimeDeployments.get(deployment),
      ]);
      this.resolved.set(key, settings);
    }
    return settings;
  }

  /** Changes settings at run time (merged over earlier run-time changes). */
  configure(target: SettingsTarget, change: DeploymentSettings): void {
    if (target.deployment !== undefined) {
      this.runtimeDeployments.set(
        target.deployment,
        merge(this.runtimeDeployments.get(target.deployment), change),
      );
    } else if (target.provider !== undefined) {
      this.runtimeProviders.set(
        target.provider,
        merge(this.runtimeProviders.get(target.provider), change),
      );
    } else {
      this.runtimeDefaults = merge(this.runtimeDefaults, change);
    }
    this.resolved.clear();
  }

  /** The deployment's prompt cache. */
  cache(deployment: string): PromptCache {
    let cache = this.caches.get(deployment);
    if (cache === undefined) {
      cache = new PromptCache();
      this.caches.set(deployment, cache);
    }
    return cache;
  }

  /** The deployment's rate-limit buckets (new ones when its limits changed). */
  limiter(deployment: string, settings: ResolvedSettings, now: number): DeploymentLimiter {
    const key = JSON.stringify(settings.rateLimit ?? null);
    const entry = this.limiters.get(deployment);
    if (entry !== undefined && entry.key === key) return entry.limiter;
    const limiter = new DeploymentLimiter(settings.rateLimit, now);
    this.limiters.set(deployment, { key, limiter });
    return limiter;
  }

  /** The deployment's random source for jitter, seeded by the scenario seed and its name. */
  random(deployment: string): () => number {
    let random = this.randoms.get(deployment);
    if (random === undefined) {
      random = createRandom(fnv1a(deployment, this.seed() >>> 0));
      this.randoms.set(deployment, random);
    }
    return random;
  }

  /**
   * Back to the state right after start-up: scenario faults and settings, empty stats, ledger
   * and caches, reseeded random sources.
   */
  reset(): void {
    this.stats.reset();
    this.entraTokens.clear();
    this.googleTokens.clear();
    this.calls.clear();
    this.faults.clear();
    this.loadScenarioFaults();
    this.runtimeDefaults = undefined;
    this.runtimeProviders.clear();
    this.runtimeDeployments.clear();
    this.resolved.clear();
    this.caches.clear();
    this.limiters.clear();
    this.randoms.clear();
    this.faultRandomSource = createRandom(this.seed());
    this.replyRandomSource = this.replyRandom();
  }
}
