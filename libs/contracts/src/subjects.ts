import { batchIdSchema, jobIdSchema, logicalModelNameSchema, tenantIdSchema } from './ids.schema';
import type { JobPriority } from './priority';
import { decodeSubjectToken, encodeSubjectToken, SubjectTokenError } from './subject-token';

/** The first token(s) of every Switchyard subject unless configured otherwise. */
export const DEFAULT_SUBJECT_ROOT = 'llm';

/** Thrown when a subject is asked for with an invalid tenant, model, batch id or root. */
export class SubjectError extends Error {
  override readonly name = 'SubjectError';
}

/**
 * The plain NATS request subjects the gateway answers (core NATS request-reply, not stored),
 * one per OpenAI API it takes over NATS: `<root>.chat.…` and `<root>.embeddings.…`.
 */
export const RequestSubjectKinds = ['chat', 'embeddings'] as const;
export type RequestSubjectKind = (typeof RequestSubjectKinds)[number];

/**
 * The subject families that carry a tenant and a model: `<root>.<kind>.<tenant>.<model>`:
 * the streams' jobs, dead letters and usage, and the {@link RequestSubjectKinds}.
 */
export const ModelSubjectKinds = ['jobs', 'dlq', 'usage', ...RequestSubjectKinds] as const;
export type ModelSubjectKind = (typeof ModelSubjectKinds)[number];

/** A jobs, dead-letter, usage, chat or embeddings subject read back into its parts. */
export interface ParsedModelSubject {
  kind: ModelSubjectKind;
  tenant: string;
  /** The logical model name, decoded from its subject token. */
  model: string;
  /** The lane of a jobs subject (`…<model>.batch` is batch); interactive for the others. */
  priority: JobPriority;
}

/** The outcome of parsing a subject: its parts, or why it is not a Switchyard model subject. */
export type ParseSubjectResult =
  ({ ok: true } & ParsedModelSubject) | { ok: false; reason: string };

/** The subjects of one Switchyard installation, all under one root. */
export interface SwitchyardSubjects {
  /** The root every subject starts with (`llm`). */
  readonly root: string;
  /**
   * `<root>.jobs.<tenant>.<model token>`: where a tenant submits interactive jobs for a logical
   * model; batch jobs go to `<root>.jobs.<tenant>.<model token>.batch`.
   */
  jobs(tenant: string, model: string, priority?: JobPriority): string;
  /** `<root>.dlq.<tenant>.<model token>`: where jobs that failed on a model are dead-lettered. */
  dlq(tenant: string, model: string): string;
  /** `<root>.usage.<tenant>.<model token>`: where usage events of a model's calls go. */
  usage(tenant: string, model: string): string;
  /**
   * `<root>.chat.<tenant>.<model token>` (core NATS, not stored): a plain NATS request with an
   * OpenAI chat-completions body, answered by the gateway on the requester's inbox after the
   * job went through the jobs stream.
   */
  chat(tenant: string, model: string): string;
  /** `<root>.chat.*.*`: every tenant's chat requests (the gateway's endpoint subject). */
  readonly chatAll: string;
  /** `<root>.chat.<tenant>.>`: the chat requests a tenant may send (for NATS permissions). */
  chatForTenant(tenant: string): string;
  /**
   * `<root>.embeddings.<tenant>.<model token>` (core NATS, not stored): a plain NATS request
   * with an OpenAI embeddings body, answered by the gateway as a chat request is.
   */
  embeddings(tenant: string, model: string): string;
  /** `<root>.embeddings.*.*`: every tenant's embeddings requests (the gateway's endpoint subject). */
  readonly embeddingsAll: string;
  /** `<root>.embeddings.<tenant>.>`: the embeddings requests a tenant may send (for NATS permissions). */
  embeddingsForTenant(tenant: string): string;
  /**
   * `<root>.results.<tenant>.<batch>`: where a tenant's batch results and errors are collected
   * durably (the tenant token lets NATS permissions keep batches apart).
   */
  results(tenant: string, batchId: string): string;
  /** `<root>.results.<tenant>.>`: every batch result of a tenant (for NATS permissions). */
  resultsForTenant(tenant: string): string;
  /**
   * Whether a job of `tenant` may name `replyTo` as its reply subject: one of the tenant's own
   * inboxes (`_INBOX.<tenant>.<id…>`, see {@link tenantInboxPrefix}) or one of its own results
   * subjects (`<root>.results.<tenant>.<batch>`). Anything else (another tenant's inbox, a
   * plain `_INBOX.<id>`, a `$JS.API` subject, a jobs, usage or dead-letter subject) is
   * refused, so a job can never make a service publish where its tenant may not listen.
   */
  mayReplyTo(tenant: string, replyTo: string): boolean;
  /**
   * `<root>.jobs.*.<model token>` (or `….batch`): a model's jobs of one lane from every tenant
   * (the filter of the model's consumer of that lane).
   */
  jobsForModel(model: string, priority?: JobPriority): string;
  /** `<root>.dlq.*.<model token>`: a model's dead letters from every tenant. */
  dlqForModel(model: string): string;
  /** `<root>.jobs.<tenant>.>`: everything a tenant may submit (for NATS permissions). */
  jobsForTenant(tenant: string): string;
  /**
   * `<root>.cancel.<tenant>.<job id token>` (core NATS, not stored): a producer whose caller
   * went away publishes here, and the worker serving the tenant's job aborts its provider call.
   */
  cancel(tenant: string, jobId: string): string;
  /** `<root>.cancel.<tenant>.>`: what a tenant may cancel (for NATS permissions). */
  cancelForTenant(tenant: string): string;
  /** `<root>.cancel.>`: every cancellation (stream LLM_CANCELS, which workers follow). */
  readonly cancelAll: string;
  /**
   * `<root>.answers.<tenant>.<job id token>` (stream LLM_ANSWERS, the last message per subject
   * kept): the final answer of a tenant's job and the usage it was billed, recorded before the
   * job is acknowledged, so a redelivered job is answered from it instead of calling the
   * provider again.
   */
  answers(tenant: string, jobId: string): string;
  /** `<root>.answers.<tenant>.>`: every answer of a tenant (for NATS permissions). */
  answersForTenant(tenant: string): string;
  /** `<root>.metering.spend`: the request-reply subject that answers spend queries. */
  readonly meteringSpend: string;
  /**
   * `<root>.events.budget.<tenant>` (core NATS, not stored): a tenant's budget crossing 80 %
   * or 100 % (`budgetEventSchema`), its own or one of its virtual keys'.
   */
  budgetEvents(tenant: string): string;
  /** `<root>.events.budget.>`: every tenant's budget events. */
  readonly budgetEventsAll: string;
  /**
   * `<root>.events.cooldown.<deployment token>` (core NATS, not stored): a deployment's failure
   * count or cooldown changed (`cooldownEventSchema`), so workers need not ask Redis per job.
   */
  cooldownEvents(deploymentId: string): string;
  /** `<root>.events.cooldown.>`: every deployment's cooldown events (what workers follow). */
  readonly cooldownEventsAll: string;
  /** The subjects each stream captures: `<root>.jobs.>`, `<root>.dlq.>`, … */
  readonly streamSubjects: {
    readonly jobs: string;
    readonly dlq: string;
    readonly usage: string;
    readonly results: string;
    readonly answers: string;
    readonly cancels: string;
  };
  /**
   * Reads a jobs, dead-letter, usage, chat or embeddings subject back into its tenant and model
   * (the kind says which). Never throws:
   * a subject that is not one (wrong root or family, wrong number of tokens, an invalid tenant,
   * a model token that is not canonical) gives `ok: false` with the reason.
   */
  parse(subject: string): ParseSubjectResult;
}

const rootPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** What may follow a tenant's inbox prefix: 1 to 8 tokens without wildcards or whitespace. */
const inboxTail = /^[^\s.*>]{1,128}(\.[^\s.*>]{1,128}){0,7}$/;

/**
 * The prefix of a tenant's inboxes, `_INBOX.<tenant>`: the only inboxes a job of that tenant
 * may name as its reply subject. A tenant's NATS connection uses it as its `inboxPrefix` (so
 * JetStream acknowledgements arrive there too), and the tenant's NATS user may subscribe to
 * `_INBOX.<tenant>.>` and to no other inbox. Throws a SubjectError for an invalid tenant.
 */
export function tenantInboxPrefix(tenant: string): string {
  return `_INBOX.${checkTenant(tenant)}`;
}

/**
 * Whether `subject` is one of `tenant`'s inboxes, `_INBOX.<tenant>.<id…>` (1 to 8 tokens after
 * the prefix, no wildcards): the only subjects a tenant's NATS user may subscribe to for answers.
 */
export function isTenantInbox(tenant: string, subject: string): boolean {
  if (!tenantIdSchema.safeParse(tenant).success) return false;
  const inbox = `${tenantInboxPrefix(tenant)}.`;
  return subject.startsWith(inbox) && inboxTail.test(subject.slice(inbox.length));
}

function checkTenant(tenant: string): string {
  if (!tenantIdSchema.safeParse(tenant).success) {
    throw new SubjectError(
      `invalid tenant ${JSON.stringify(tenant)}: must be 1 to 64 characters of A-Z a-z 0-9 _ -`,
    );
  }
  return tenant;
}

function jobToken(jobId: string): string {
  if (!jobIdSchema.safeParse(jobId).success) {
    throw new SubjectError(
      `invalid job id ${JSON.stringify(jobId)}: must be 1 to 128 characters of A-Z a-z 0-9 _ - : .`,
    );
  }
  return encodeSubjectToken(jobId);
}

function modelToken(model: string): string {
  const check = logicalModelNameSchema.safeParse(model);
  if (!check.success) {
    const reason = check.error.issues.map((issue) => issue.message).join('; ');
    throw new SubjectError(`invalid logical model name ${JSON.stringify(model)}: ${reason}`);
  }
  return encodeSubjectToken(model);
}

function parseModelSubject(root: string, subject: string): ParseSubjectResult {
  const fail = (why: string): ParseSubjectResult => ({
    ok: false,
    reason: `${JSON.stringify(subject)} is not a Switchyard model subject: ${why}`,
  });
  if (!subject.startsWith(`${root}.`)) return fail(`it does not start with "${root}."`);
  const parts = subject.slice(root.length + 1).split('.');
  const [kind, tenant, token, lane] = parts;
  const batchJobs = parts.length === 4 && kind === 'jobs' && lane === 'batch';
  if (
    (parts.length !== 3 && !batchJobs) ||
    kind === undefined ||
    tenant === undefined ||
    token === undefined
  ) {
    return fail(`expected ${root}.<${ModelSubjectKinds.join('|')}>.<tenant>.<model token>`);
  }
  if (!(ModelSubjectKinds as readonly string[]).includes(kind)) {
    return fail(`"${kind}" is not one of ${ModelSubjectKinds.join(', ')}`);
  }
  if (!tenantIdSchema.safeParse(tenant).success) {
    return fail(`invalid tenant ${JSON.stringify(tenant)}`);
  }
  let model: string;
  try {
    model = decodeSubjectToken(token);
  } catch (error) {
    return fail(error instanceof SubjectTokenError ? error.message : String(error));
  }
  if (!logicalModelNameSchema.safeParse(model).success) {
    return fail(`the model token decodes to ${JSON.stringify(model)}, not a logical model name`);
  }
  const priority = batchJobs ? 'batch' : 'interactive';
  return { ok: true, kind: kind as ModelSubjectKind, tenant, model, priority };
}

/**
 * The subjects under a root. The default root is `llm`; tests pass their own (`t1.llm`,
 * `test_4f2a`) so they never see each other's messages. Throws a SubjectError for a root
 * that is not dot-separated tokens of `[A-Za-z0-9_-]`.
 */
export function createSubjects(root: string = DEFAULT_SUBJECT_ROOT): SwitchyardSubjects {
  if (!rootPattern.test(root)) {
    throw new SubjectError(
      `invalid subject root ${JSON.stringify(root)}: must be dot-separated tokens of A-Z a-z 0-9 _ -`,
    );
  }
  const modelSubject = (kind: ModelSubjectKind, tenant: string, model: string) =>
    `${root}.${kind}.${checkTenant(tenant)}.${modelToken(model)}`;
  return {
    root,
    jobs: (tenant, model, priority = 'interactive') =>
      `${modelSubject('jobs', tenant, model)}${laneSuffix(priority)}`,
    dlq: (tenant, model) => modelSubject('dlq', tenant, model),
    usage: (tenant, model) => modelSubject('usage', tenant, model),
    chat: (tenant, model) => modelSubject('chat', tenant, model),
    chatAll: `${root}.chat.*.*`,
    chatForTenant: (tenant) => `${root}.chat.${checkTenant(tenant)}.>`,
    embeddings: (tenant, model) => modelSubject('embeddings', tenant, model),
    embeddingsAll: `${root}.embeddings.*.*`,
    embeddingsForTenant: (tenant) => `${root}.embeddings.${checkTenant(tenant)}.>`,
    results: (tenant, batchId) => {
      if (!batchIdSchema.safeParse(batchId).success) {
        throw new SubjectError(
          `invalid batch id ${JSON.stringify(batchId)}: must be 1 to 128 characters of A-Z a-z 0-9 _ -`,
        );
      }
      return `${root}.results.${checkTenant(tenant)}.${batchId}`;
    },
    resultsForTenant: (tenant) => `${root}.results.${checkTenant(tenant)}.>`,
    mayReplyTo: (tenant, replyTo) => {
      if (!tenantIdSchema.safeParse(tenant).success) return false;
      if (replyTo.startsWith(`${tenantInboxPrefix(tenant)}.`))
        return isTenantInbox(tenant, replyTo);
      const results = `${root}.results.${tenant}.`;
      return (
        replyTo.startsWith(results) &&
        batchIdSchema.safeParse(replyTo.slice(results.length)).success
      );
    },
    jobsForModel: (model, priority = 'interactive') =>
      `${root}.jobs.*.${modelToken(model)}${laneSuffix(priority)}`,
    dlqForModel: (model) => `${root}.dlq.*.${modelToken(model)}`,
    jobsForTenant: (tenant) => `${root}.jobs.${checkTenant(tenant)}.>`,
    cancel: (tenant, jobId) => `${root}.cancel.${checkTenant(tenant)}.${jobToken(jobId)}`,
    answers: (tenant, jobId) => `${root}.answers.${checkTenant(tenant)}.${jobToken(jobId)}`,
    answersForTenant: (tenant) => `${root}.answers.${checkTenant(tenant)}.>`,
    cancelForTenant: (tenant) => `${root}.cancel.${checkTenant(tenant)}.>`,
    cancelAll: `${root}.cancel.>`,
    meteringSpend: `${root}.metering.spend`,
    budgetEvents: (tenant) => `${root}.events.budget.${checkTenant(tenant)}`,
    budgetEventsAll: `${root}.events.budget.>`,
    cooldownEvents: (deploymentId) => `${root}.events.cooldown.${encodeSubjectToken(deploymentId)}`,
    cooldownEventsAll: `${root}.events.cooldown.>`,
    streamSubjects: {
      jobs: `${root}.jobs.>`,
      dlq: `${root}.dlq.>`,
      usage: `${root}.usage.>`,
      results: `${root}.results.>`,
      answers: `${root}.answers.>`,
      cancels: `${root}.cancel.>`,
    },
    parse: (subject) => parseModelSubject(root, subject),
  };
}

/** What follows the model token in a jobs subject of the lane. */
function laneSuffix(priority: JobPriority): string {
  return priority === 'batch' ? '.batch' : '';
}

/** The subjects under the default root `llm`. */
export const subjects: SwitchyardSubjects = createSubjects();
