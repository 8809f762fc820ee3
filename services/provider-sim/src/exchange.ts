import type { IncomingMessage, ServerResponse } from 'node:http';
import { settleCall, type SimCall } from './call-ledger';
import { totalCompletionTokens, type SimChoice, type SimRequest } from './engine';
import { playStream, send, sleep, type StreamInterrupt, type StreamOutcome } from './http-io';
import type { LatencyModel } from './latency';
import type { MeasuredPrompt } from './prompt';
import { useCache, type CacheStyle } from './prompt-cache';
import type {
  AnswerContext,
  ErrorCase,
  ProviderSim,
  Route,
  StreamFrame,
  WireResponse,
} from './providers/provider';
import type { ResolvedSettings } from './scenario';
import type { SimState } from './sim-state';
import type { ServedUsage, StatsTarget } from './stats';

const cacheStyles: Record<string, CacheStyle> = {
  openai: 'openai',
  azure: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

/** Everything decided about a request before it is answered. */
export interface ExchangeParts {
  req: IncomingMessage;
  res: ServerResponse;
  sim: ProviderSim;
  route: Route;
  state: SimState;
  request: SimRequest;
  target: Required<StatsTarget>;
  settings: ResolvedSettings;
  measured: MeasuredPrompt;
  choices: SimChoice[];
  requestId: string;
  /** Headers of every answer: request id and rate-limit state. */
  headers: Record<string, string>;
  latency: LatencyModel;
  apiKey: string;
  /** The call's ledger entry, ended by {@link Exchange.account}. */
  call: SimCall;
}

/**
 * One request that passed the provider's checks, with everything decided about it: the
 * deployment, its settings, the measured prompt and the choices. The answer context (which
 * consults the prompt cache) is built once, on first use.
 */
export class Exchange implements Readonly<ExchangeParts> {
  private answer: AnswerContext | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly sim: ProviderSim;
  readonly route: Route;
  readonly state: SimState;
  readonly request: SimRequest;
  readonly target: Required<StatsTarget>;
  readonly settings: ResolvedSettings;
  readonly measured: MeasuredPrompt;
  readonly choices: SimChoice[];
  readonly requestId: string;
  readonly headers: Record<string, string>;
  readonly latency: LatencyModel;
  readonly apiKey: string;
  readonly call: SimCall;

  constructor(parts: ExchangeParts) {
    this.req = parts.req;
    this.res = parts.res;
    this.sim = parts.sim;
    this.route = parts.route;
    this.state = parts.state;
    this.request = parts.request;
    this.target = parts.target;
    this.settings = parts.settings;
    this.measured = parts.measured;
    this.choices = parts.choices;
    this.requestId = parts.requestId;
    this.headers = parts.headers;
    this.latency = parts.latency;
    this.apiKey = parts.apiKey;
    this.call = parts.call;
  }

  /** Completion tokens of all choices. */
  get completionTokens(): number {
    return totalCompletionTokens(this.choices);
  }

  /** The answer context; consults (and fills) the deployment's prompt cache on first use. */
  context(): AnswerContext {
    if (this.answer === undefined) {
      const cache =
        this.settings.promptCache && cacheStyles[this.sim.name] !== undefined
          ? useCache(
              cacheStyles[this.sim.name] ?? 'openai',
              this.measured,
              this.state.cache(this.target.deployment),
            )
          : { cachedTokens: 0, cacheWriteTokens: 0 };
      const usage: ServedUsage = {
        promptTokens: this.measured.promptTokens,
        completionTokens: this.completionTokens,
        ...cache,
      };
      this.answer = {
        request: this.request,
        route: this.route,
        choices: this.choices,
        usage,
        id: this.sim.newId(),
        created: Math.floor(Date.now() / 1000),
        chunkTokens: this.settings.chunkTokens,
      };
    }
    return this.answer;
  }

  /** Writes the provider's error response. */
  sendError(error: ErrorCase, extraHeaders: Record<string, string> = {}): void {
    this.sendWire(this.sim.error(error, this.requestId, this.route), extraHeaders);
  }

  /** Writes a whole response with this exchange's headers. */
  sendWire(response: WireResponse, extraHeaders: Record<string, string> = {}): void {
    send(this.res, response, { ...this.headers, ...extraHeaders });
  }

  /** The stream's frames. */
  frames(): StreamFrame[] {
    return this.sim.frames(this.context());
  }

  /**
   * Plays the stream; whether it was delivered in full. `countTokens: false` for streams that
   * are a fault's effect (their usage is not served).
   */
  async stream(
    frames: StreamFrame[],
    interrupt?: StreamInterrupt,
    countTokens = true,
  ): Promise<boolean> {
    const outcome = await playStream(this.res, frames, {
      status: 200,
      headers: { ...this.headers, 'content-type': this.sim.streamContentType(this.route) },
      latency: this.latency,
      ...(interrupt !== undefined ? { interrupt } : {}),
    });
    this.account(outcome === 'complete' && !countTokens ? 'interrupted' : outcome);
    return outcome === 'complete';
  }

  /** Answers normally (after the latency), counting the tokens once delivered. */
  async serve(): Promise<void> {
    if (this.request.stream) {
      await this.stream(this.frames());
      return;
    }
    const body = this.sim.body(this.context());
    if (!(await sleep(this.res, this.latency.totalDelay(this.completionTokens)))) {
      this.account('aborted');
      return;
    }
    this.sendWire({ status: 200, headers: { 'content-type': 'application/json' }, body });
    this.account('complete');
  }

  /**
   * Counts a delivered answer's tokens, or a client that went away, and ends the call in the
   * ledger (an interrupted stream is a fault's effect).
   */
  account(outcome: StreamOutcome): void {
    if (outcome === 'complete') {
      this.state.stats.completed(this.target, this.context().usage);
      settleCall(this.call, 'completed');
    } else if (outcome === 'aborted') {
      this.state.stats.aborted(this.target);
      settleCall(this.call, 'aborted');
    } else {
      settleCall(this.call, 'faulted');
    }
  }
}
