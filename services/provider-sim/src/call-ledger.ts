import type { SimChoice } from './engine';
import type { FaultSpec } from './faults';
import type { SimProviderName } from './scenario';

/** How many entries the call ledger keeps by default (the newest ones). */
export const CALL_LEDGER_LIMIT = 200_000;

/** How many characters (code points) of the last user message make a call key. */
export const CALL_KEY_LENGTH = 200;

/**
 * Where a call stands: `in_flight` until it ends; `completed` when the answer was delivered in
 * full (its tokens count in stats); `aborted` when the client went away first (the `aborted`
 * counter); `faulted` when a fault answered it instead.
 */
export type CallOutcome = 'in_flight' | 'completed' | 'aborted' | 'faulted';

/** One request that reached a provider handler (one `requests` count), as the ledger keeps it. */
export interface SimCall {
  /** 1 for the first call after start-up or a reset, then one more per call. */
  seq: number;
  deployment: string;
  provider: SimProviderName;
  model: string;
  stream: boolean;
  /** The provider request id the response carries in its headers. */
  requestId: string;
  /** The first {@link CALL_KEY_LENGTH} code points of the last user message's text. */
  key: string;
  /**
   * The whole reply the call generated, delivered or not: per choice its text, and for a tool
   * call the tool name followed by its arguments (`name(arguments)`, on its own line after any
   * text); choices joined with a newline.
   */
  text: string;
  /** The prompt tokens (cached included) the answer reports and stats count when it completes. */
  promptTokens: number;
  /** The completion tokens of all choices, as stats count them when the call completes. */
  completionTokens: number;
  /** The fault applied to the call, or null. */
  fault: FaultSpec | null;
  /** The request's `user-agent` header, or null. */
  userAgent: string | null;
  outcome: CallOutcome;
  /** When the call ended (epoch ms), or null while it is in flight. */
  endedAt: number | null;
}

/** Which calls {@link CallLedger.list} returns: all, or those with this key and/or deployment. */
export interface CallQuery {
  key?: string;
  deployment?: string;
}

/** A call as it is opened: everything but its sequence number and outcome. */
export type CallOpening = Omit<SimCall, 'seq' | 'outcome' | 'endedAt'>;

/**
 * The call key of a request: the first {@link CALL_KEY_LENGTH} code points of the last user
 * message's text, copied so that it never keeps a long message alive.
 */
export function callKey(lastUserText: string): string {
  if (lastUserText.length <= CALL_KEY_LENGTH) return lastUserText;
  return Array.from(lastUserText.slice(0, 2 * CALL_KEY_LENGTH))
    .slice(0, CALL_KEY_LENGTH)
    .join('');
}

function choiceText(choice: SimChoice): string {
  const text = choice.text?.text;
  if (choice.toolCall === undefined) return text ?? '';
  const call = `${choice.toolCall.name}(${choice.toolCall.arguments})`;
  return text === undefined ? call : `${text}\n${call}`;
}

/** The ledger text of a call's choices (see {@link SimCall.text}). */
export function callText(choices: readonly SimChoice[]): string {
  if (choices.length === 1 && choices[0] !== undefined) return choiceText(choices[0]);
  return choices.map(choiceText).join('\n');
}

/** Ends a call that is still in flight; an ended call keeps its outcome. */
export function settleCall(call: SimCall, outcome: Exclude<CallOutcome, 'in_flight'>): void {
  if (call.outcome !== 'in_flight') return;
  call.outcome = outcome;
  call.endedAt = Date.now();
}

function copyCall(call: SimCall): SimCall {
  return {
    ...call,
    fault: call.fault === null ? null : { kind: call.fault.kind, params: { ...call.fault.params } },
  };
}

/**
 * Every call in order, the newest `limit` kept: a ring buffer, so opening a call costs the same
 * however many are kept. Entries are updated in place as calls end.
 */
export class CallLedger {
  private entries: SimCall[] = [];
  /** Where the next entry goes once the buffer is full (the oldest entry). */
  private next = 0;
  private seq = 0;

  constructor(private readonly limit = CALL_LEDGER_LIMIT) {
    if (!(Number.isInteger(limit) && limit > 0)) {
      throw new Error(`call ledger limit must be a positive integer, got ${limit}`);
    }
  }

  /** Records a call that starts now (in flight); the entry is to be ended with {@link settleCall}. */
  open(opening: CallOpening): SimCall {
    const call: SimCall = { seq: ++this.seq, ...opening, outcome: 'in_flight', endedAt: null };
    if (this.entries.length < this.limit) {
      this.entries.push(call);
    } else {
      this.entries[this.next] = call;
      this.next = (this.next + 1) % this.limit;
    }
    return call;
  }

  /** Copies of the kept calls that match `query`, oldest first. */
  list(query: CallQuery = {}): SimCall[] {
    const { key, deployment } = query;
    const calls: SimCall[] = [];
    const count = this.entries.length;
    for (let i = 0; i < count; i++) {
      const call = this.entries[(this.next + i) % count];
      if (call === undefined) continue;
      if (key !== undefined && call.key !== key) continue;
      if (deployment !== undefined && call.deployment !== deployment) continue;
      calls.push(copyCall(call));
    }
    return calls;
  }

  /** Forgets every call; the next one is `seq` 1 again. */
  clear(): void {
    this.entries = [];
    this.next = 0;
    this.seq = 0;
  }
}
