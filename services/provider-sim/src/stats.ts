import type { FaultKind } from './faults';

/** Counters of one deployment, provider or model (or of everything). */
export interface UsageCounters {
  /** Requests that reached a provider route with a valid key and a readable body. */
  requests: number;
  /** Of those, streaming requests. */
  streams: number;
  /** Responses delivered in full with their usage: the only ones whose tokens count. */
  completed: number;
  /** Requests refused for bad input (bad JSON, missing fields, missing or wrong key). */
  rejected: number;
  /** Requests whose client went away before the response was complete. */
  aborted: number;
  /** Prompt tokens of completed responses, cached and cache-written ones included. */
  promptTokens: number;
  /** Completion tokens of completed responses. */
  completionTokens: number;
  /** Prompt tokens read from the cache. */
  cachedTokens: number;
  /** Prompt tokens written to the cache (Anthropic). */
  cacheWriteTokens: number;
  /** Faults injected, by kind (scripted, per-request, and automatic ones alike). */
  faults: Partial<Record<FaultKind, number>>;
}

/** The simulator's own account of what it served. */
export interface SimStats {
  /** Entra ID access tokens issued (`POST /<tenant>/oauth2/v2.0/token`), and requests refused. */
  entra: { tokensIssued: number; refused: number };
  /** Google access tokens issued (`POST /token`, the JWT bearer grant), and requests refused. */
  google: { tokensIssued: number; refused: number };
  total: UsageCounters;
  deployments: Record<string, UsageCounters>;
  providers: Record<string, UsageCounters>;
  models: Record<string, UsageCounters>;
}

/** Whom a request is accounted to; `model` and `deployment` may be unknown for bad input. */
export interface StatsTarget {
  provider: string;
  deployment?: string;
  model?: string;
}

/** Token figures of one completed response. */
export interface ServedUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
}

function emptyCounters(): UsageCounters {
  return {
    requests: 0,
    streams: 0,
    completed: 0,
    rejected: 0,
    aborted: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    faults: {},
  };
}

function copy(counters: UsageCounters): UsageCounters {
  return { ...counters, faults: { ...counters.faults } };
}

/** Keeps the counters; every event updates the total, the provider, the deployment, the model. */
export class StatsBook {
  private total = emptyCounters();
  private entra = { tokensIssued: 0, refused: 0 };
  private google = { tokensIssued: 0, refused: 0 };
  private deployments = new Map<string, UsageCounters>();
  private providers = new Map<string, UsageCounters>();
  private models = new Map<string, UsageCounters>();

  private each(target: StatsTarget, update: (counters: UsageCounters) => void): void {
    update(this.total);
    update(this.entry(this.providers, target.provider));
    if (target.deployment !== undefined) update(this.entry(this.deployments, target.deployment));
    if (target.model !== undefined) update(this.entry(this.models, target.model));
  }

  private entry(map: Map<string, UsageCounters>, key: string): UsageCounters {
    let counters = map.get(key);
    if (counters === undefined) {
      counters = emptyCounters();
      map.set(key, counters);
    }
    return counters;
  }

  request(target: StatsTarget, stream: boolean): void {
    this.each(target, (c) => {
      c.requests++;
      if (stream) c.streams++;
    });
  }

  completed(target: StatsTarget, usage: ServedUsage): void {
    this.each(target, (c) => {
      c.completed++;
      c.promptTokens += usage.promptTokens;
      c.completionTokens += usage.completionTokens;
      c.cachedTokens += usage.cachedTokens;
      c.cacheWriteTokens += usage.cacheWriteTokens;
    });
  }

  fault(target: StatsTarget, kind: FaultKind): void {
    this.each(target, (c) => {
      c.faults[kind] = (c.faults[kind] ?? 0) + 1;
    });
  }

  rejected(target: StatsTarget): void {
    this.each(target, (c) => {
      c.rejected++;
    });
  }

  aborted(target: StatsTarget): void {
    this.each(target, (c) => {
      c.aborted++;
    });
  }

  snapshot(): SimStats {
    const record = (map: Map<string, UsageCounters>): Record<string, UsageCounters> =>
      Object.fromEntries([...map].map(([key, counters]) => [key, copy(counters)]));
    return {
      entra: { ...this.entra },
      google: { ...this.google },
      total: copy(this.total),
      deployments: record(this.deployments),
      providers: record(this.providers),
      models: record(this.models),
    };
  }

  /** Counts an Entra ID token request: a token issued, or refused. */
  entraToken(issued: boolean): void {
    if (issued) this.entra.tokensIssued++;
    else this.entra.refused++;
  }

  /** Counts a Google token request: a token issued, or refused. */
  googleToken(issued: boolean): void {
    if (issued) this.google.tokensIssued++;
    else this.google.refused++;
  }

  reset(): void {
    this.entra = { tokensIssued: 0, refused: 0 };
    this.google = { tokensIssued: 0, refused: 0 };
    this.total = emptyCounters();
    this.deployments.clear();
    this.providers.clear();
    this.models.clear();
  }
}
