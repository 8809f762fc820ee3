/** Every fault the simulator can inject (the README gives each one's wire effect per provider). */
export const faultKinds = [
  'rate_limit',
  'server_error',
  'unavailable',
  'overloaded',
  'timeout',
  'reset',
  'context_length',
  'content_policy',
  'auth',
  'not_found',
  'malformed_json',
  'html_error',
  'empty_body',
  'cut_stream',
] as const;

/** A fault kind. */
export type FaultKind = (typeof faultKinds)[number];

/** Whether `name` is a {@link FaultKind}. */
export function isFaultKind(name: string): name is FaultKind {
  return (faultKinds as readonly string[]).includes(name);
}

/** A parameter value: numbers stay numbers, everything else is a string. */
export type FaultParam = string | number | boolean;

/** One fault to inject: its kind and its parameters (`retry_after`, `ms`, `after`, …). */
export interface FaultSpec {
  kind: FaultKind;
  params: Readonly<Record<string, FaultParam>>;
}

/** A parse result that says what was wrong instead of throwing. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function paramValue(text: string): FaultParam {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  return trimmed.replace(/^"(.*)"$/, '$1');
}

/**
 * Parses the `x-sim-fault` header form, `<kind>[; key=value]…`, e.g.
 * `rate_limit; retry_after=2` or `cut_stream; after=3`.
 */
export function parseFaultSpec(text: string): Parsed<FaultSpec> {
  const [head = '', ...rest] = text.split(';');
  const kind = head.trim();
  if (!isFaultKind(kind)) {
    return {
      ok: false,
      message: `unknown fault "${kind}"; known faults: ${faultKinds.join(', ')}`,
    };
  }
  const params: Record<string, FaultParam> = {};
  for (const item of rest) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    if (eq === -1) {
      params[item.trim()] = true;
      continue;
    }
    const key = item.slice(0, eq).trim();
    if (key === '') return { ok: false, message: `fault parameter without a name in "${text}"` };
    params[key] = paramValue(item.slice(eq + 1));
  }
  return { ok: true, value: { kind, params } };
}

/** A numeric fault parameter, or `fallback` when absent or not a non-negative number. */
export function numberParam(spec: FaultSpec, name: string, fallback: number): number;
export function numberParam(spec: FaultSpec, name: string): number | undefined;
export function numberParam(spec: FaultSpec, name: string, fallback?: number): number | undefined {
  const value = spec.params[name];
  return typeof value === 'number' && value >= 0 ? value : fallback;
}

/** A string fault parameter, or undefined. */
export function stringParam(spec: FaultSpec, name: string): string | undefined {
  const value = spec.params[name];
  return value === undefined ? undefined : String(value);
}

/** What a fault rule is matched against: the request's deployment, provider, model, mode. */
export interface FaultTarget {
  deployment: string;
  provider: string;
  model: string;
  stream: boolean;
}

/** A fault rule as given in a scenario or to `POST /_sim/faults`. */
export interface FaultRuleInput {
  deployment?: string;
  provider?: string;
  model?: string;
  /** Match only streaming (true) or only non-streaming (false) requests. */
  stream?: boolean;
  /** The fault, in the header form (`"rate_limit; retry_after=2"`) or just its kind. */
  fault: string;
  /** Parameters, merged over those written in `fault`. */
  params?: Record<string, FaultParam>;
  /** Apply to this many matching requests, then the rule is spent. Absent: no limit. */
  count?: number;
  /** Apply to every Nth matching request (the Nth, the 2Nth, …). Absent: every one. */
  every?: number;
  /** Apply with this probability (0..1), drawn from the simulator's seeded random source. */
  probability?: number;
}

/** A rule as the simulator keeps and reports it. */
export interface FaultRuleView extends Omit<FaultRuleInput, 'fault' | 'params'> {
  id: string;
  fault: FaultKind;
  params: Record<string, FaultParam>;
  /** Matching requests seen so far. */
  matched: number;
  /** Times the fault was applied so far. */
  applied: number;
}

/** Turns a rule input into a rule, or says what is wrong with it. */
export function compileRule(input: FaultRuleInput, id: string): Parsed<FaultRuleView> {
  const parsed = parseFaultSpec(input.fault);
  if (!parsed.ok) return parsed;
  for (const [name, value] of [
    ['count', input.count],
    ['every', input.every],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      return { ok: false, message: `${name} must be a positive integer, got ${value}` };
    }
  }
  if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) {
    return { ok: false, message: `probability must be between 0 and 1, got ${input.probability}` };
  }
  const { deployment, provider, model, stream, count, every, probability, params } = input;
  return {
    ok: true,
    value: {
      ...(deployment !== undefined ? { deployment } : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(stream !== undefined ? { stream } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(every !== undefined ? { every } : {}),
      ...(probability !== undefined ? { probability } : {}),
      id,
      fault: parsed.value.kind,
      params: { ...parsed.value.params, ...params },
      matched: 0,
      applied: 0,
    },
  };
}

function matches(rule: FaultRuleView, target: FaultTarget): boolean {
  return (
    (rule.deployment === undefined || rule.deployment === target.deployment) &&
    (rule.provider === undefined || rule.provider === target.provider) &&
    (rule.model === undefined || rule.model === target.model) &&
    (rule.stream === undefined || rule.stream === target.stream)
  );
}

/**
 * The scripted faults, in the order they were added. For each request the first rule that
 * matches and fires decides the fault; every matching rule counts the request as seen.
 */
export class FaultBook {
  private rules: FaultRuleView[] = [];
  private nextId = 1;

  /** Adds rules; all or none (the first invalid one is reported). */
  add(inputs: readonly FaultRuleInput[]): Parsed<FaultRuleView[]> {
    const compiled: FaultRuleView[] = [];
    for (const input of inputs) {
      const rule = compileRule(input, `f${this.nextId + compiled.length}`);
      if (!rule.ok) return rule;
      compiled.push(rule.value);
    }
    this.nextId += compiled.length;
    this.rules.push(...compiled);
    return { ok: true, value: compiled.map((rule) => ({ ...rule })) };
  }

  /** Removes one rule; whether it existed. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule; how many there were. */
  clear(): number {
    const count = this.rules.length;
    this.rules = [];
    return count;
  }

  /** Copies of the rules with their counters. */
  list(): FaultRuleView[] {
    return this.rules.map((rule) => ({ ...rule, params: { ...rule.params } }));
  }

  /** The fault for this request, if a rule fires; `random` draws for `probability`. */
  take(target: FaultTarget, random: () => number): FaultSpec | undefined {
    let chosen: FaultSpec | undefined;
    for (const rule of this.rules) {
      if (rule.count !== undefined && rule.applied >= rule.count) continue;
      if (!matches(rule, target)) continue;
      rule.matched++;
      if (chosen !== undefined) continue;
      if (rule.every !== undefined && rule.matched % rule.every !== 0) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      rule.applied++;
      chosen = { kind: rule.fault, params: rule.params };
    }
    return chosen;
  }
}
