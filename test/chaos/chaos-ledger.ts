import type { UsageEvent } from '@switchyard/contracts';
import type { SimCall } from '@switchyard/provider-sim';

/** What one caller ended with. */
export type CallerOutcome =
  | { kind: 'result'; text: string }
  | { kind: 'stream'; text: string; finals: number; generations: number }
  /** A stream the service ended with `stream_cut` (a hand-back after chunks were sent). */
  | { kind: 'stream_cut' }
  /** A final error of the service. */
  | { kind: 'error'; code: string }
  /** An HTTP request whose connection broke while the gateway was killed. */
  | { kind: 'http_cut'; at: number }
  /** No answer at all: the wait timed out, or the call broke otherwise. */
  | { kind: 'lost'; reason: string };

/** One job of the run: what its caller got, the provider calls made for it, its usage events. */
export interface JobAccount {
  index: number;
  outcome: CallerOutcome;
  calls: readonly SimCall[];
  events: readonly UsageEvent[];
}

/** When a process was killed with SIGKILL (epoch ms). */
export interface Kill {
  what: string;
  at: number;
}

/** The run's totals, and each way it broke a promise. */
export interface ChaosTally {
  jobs: number;
  results: number;
  streams: number;
  streamCuts: number;
  finalErrors: number;
  httpCut: number;
  lost: number;
  providerCalls: number;
  billedEvents: number;
  /** Usage events beyond one per provider call: double billing. */
  duplicated: number;
  /**
   * Provider calls without a usage event, each one a call a killed worker had under way (it
   * ended within {@link killWindowMs} of a worker's kill): the provider was paid, the tenant
   * not billed. Any other unbilled call is a problem.
   */
  unbilledAtWorkerKill: number;
  problems: string[];
}

/** How close to a worker's kill a call must end for its missing usage event to be the kill's. */
export const killWindowMs = 3_000;

/**
 * Checks every job against the simulator's call ledger and the usage stream: each caller got
 * one final answer (an HTTP request cut by the gateway's kill excepted), each answer is the text
 * of one completed call of its job, no call is billed twice, and a call goes unbilled only when
 * the worker making it was killed.
 */
export function tallyChaos(jobs: readonly JobAccount[], kills: readonly Kill[]): ChaosTally {
  const tally: ChaosTally = {
    jobs: jobs.length,
    results: 0,
    streams: 0,
    streamCuts: 0,
    finalErrors: 0,
    httpCut: 0,
    lost: 0,
    providerCalls: 0,
    billedEvents: 0,
    duplicated: 0,
    unbilledAtWorkerKill: 0,
    problems: [],
  };
  const workerKills = kills.filter((kill) => kill.what.startsWith('worker')).map((k) => k.at);
  const gatewayKills = kills.filter((kill) => kill.what === 'gateway').map((k) => k.at);
  const nearAny = (at: number | null, times: readonly number[]) =>
    at !== null && times.some((t) => Math.abs(at - t) <= killWindowMs);
  const problem = (job: JobAccount, what: string) => {
    if (tally.problems.length < 20) tally.problems.push(`job ${job.index}: ${what}`);
  };

  for (const job of jobs) {
    const { outcome, calls, events } = job;
    tally.providerCalls += calls.length;
    tally.billedEvents += events.length;
    if (new Set(events.map((event) => event.id)).size !== events.length)
      problem(job, 'a usage event stored twice');
    const unbilled = calls.length - events.length;
    if (unbilled < 0) {
      tally.duplicated += -unbilled;
      problem(job, `${events.length} usage events for ${calls.length} provider calls`);
    } else if (unbilled > 0) {
      const atKill = calls.filter((call) => nearAny(call.endedAt, workerKills)).length;
      tally.unbilledAtWorkerKill += Math.min(unbilled, atKill);
      if (unbilled > atKill)
        problem(job, `${unbilled - atKill} provider calls unbilled away from any worker kill`);
    }
    const completedTexts = calls.filter((c) => c.outcome === 'completed').map((c) => c.text);
    const successes = events.filter((event) => event.status === 'success').length;
    switch (outcome.kind) {
      case 'result':
      case 'stream':
        if (outcome.kind === 'result') tally.results += 1;
        else tally.streams += 1;
        if (!completedTexts.includes(outcome.text))
          problem(job, 'the answer is not the text of any completed call of the job');
        // A worker publishes the reply once the call's usage is stored: an answer has one.
        if (successes === 0) problem(job, 'answered, and no call of it billed as a success');
        if (outcome.kind === 'stream' && (outcome.finals !== 1 || outcome.generations !== 1))
          problem(job, `${outcome.finals} final chunks over ${outcome.generations} generations`);
        break;
      case 'stream_cut':
        tally.streamCuts += 1;
        break;
      case 'error':
        tally.finalErrors += 1;
        problem(job, `final error ${outcome.code}`);
        break;
      case 'http_cut':
        tally.httpCut += 1;
        if (!nearAny(outcome.at, gatewayKills))
          problem(job, 'HTTP connection broke, no gateway kill');
        break;
      case 'lost':
        tally.lost += 1;
        problem(job, `lost: ${outcome.reason}`);
        break;
    }
  }
  return tally;
}
