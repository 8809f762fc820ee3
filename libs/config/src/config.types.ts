import type { ChatCompletionRequest, ErrorType, StreamKind } from '@switchyard/contracts';
import type { Provider } from './providers';
import type { RoutingStrategy } from './router-options';

/** Per-token prices of one deployment, overriding the built-in price table. */
export interface DeploymentPricing {
  /** USD per prompt token (`input_cost_per_token`). */
  readonly inputPerToken: number;
  /** USD per completion token (`output_cost_per_token`). */
  readonly outputPerToken: number;
}

/** Token limits of one deployment, from `model_info`. Absent means unknown. */
export interface DeploymentLimits {
  /** Largest prompt the deployment accepts, in tokens (`max_input_tokens`). */
  readonly maxInputTokens?: number;
  /** Largest completion it produces, in tokens (`max_output_tokens`, else the legacy `max_tokens`). */
  readonly maxOutputTokens?: number;
}

/**
 * How an Azure deployment signs in with Microsoft Entra ID instead of an api-key: a token the
 * config gives (`azure_ad_token`), or an app registration's client secret, exchanged for
 * tokens by the OAuth 2.0 client credentials grant at `<authorityHost>/<tenantId>/oauth2/v2.0/token`.
 */
export type AzureEntraCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'client_secret';
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
      /** `azure_authority_host`, else AZURE_AUTHORITY_HOST, else Microsoft's public cloud. */
      readonly authorityHost: string;
    };

/**
 * The AWS credentials a Bedrock deployment signs its requests with (Signature Version 4):
 * `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` of `litellm_params`, else
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the environment.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (an STS session). */
  readonly sessionToken?: string;
}

/**
 * A profile of the AWS shared files a Bedrock deployment signs with (`aws_profile_name`, else
 * AWS_PROFILE, else `default`). Config checks at start-up that it exists and holds credentials;
 * the worker resolves them from the files at call time, again before they expire.
 */
export interface AwsProfileRef {
  /** The profile's name: `[name]` in the credentials file, `[profile name]` in the config file. */
  readonly name: string;
  /** AWS_SHARED_CREDENTIALS_FILE, else `~/.aws/credentials`. */
  readonly credentialsFile: string;
  /** AWS_CONFIG_FILE, else `~/.aws/config`. */
  readonly configFile: string;
}

/**
 * A Google credentials JSON as Google writes it (a service account key file, a user's
 * credentials of type `authorized_user` as gcloud writes them, or another kind
 * google-auth-library reads), handed to google-auth-library. Holds secrets (`private_key`,
 * `client_secret`, `refresh_token`): never log it unredacted.
 */
export interface GoogleCredentialsJson {
  /** `service_account`, `authorized_user`, `external_account`, … */
  readonly type: string;
  /** The service account's address: the `iss` of the JWT it signs in with. */
  readonly client_email?: string;
  /** The service account's PEM private key. */
  readonly private_key?: string;
  /**
   * Where the service account exchanges its signed JWT, or the user their refresh token, for an
   * access token (Google's `https://oauth2.googleapis.com/token` when absent).
   */
  readonly token_uri?: string;
  /** The project a user's calls are billed to and counted against (`x-goog-user-project`). */
  readonly quota_project_id?: string;
  readonly project_id?: string;
  readonly [field: string]: unknown;
}

/** Where a Vertex AI deployment runs and how it signs in (see normalize-vertex.ts). */
export interface VertexSettings {
  /** `vertex_project`, else VERTEXAI_PROJECT, else GOOGLE_CLOUD_PROJECT, else the credentials' `project_id`. */
  readonly project: string;
  /** `vertex_location`, else VERTEXAI_LOCATION, else `us-central1`; `global` is the global endpoint. */
  readonly location: string;
  /** Whose model it is: Google's (Gemini's `generateContent`, text embeddings' `predict`) or Anthropic's Claude (`rawPredict`). */
  readonly publisher: 'google' | 'anthropic';
  /**
   * `vertex_credentials` (a file path or the JSON itself), else the file GOOGLE_APPLICATION_CREDENTIALS
   * names, else gcloud's application default credentials file (in CLOUDSDK_CONFIG, else
   * `~/.config/gcloud`) when it exists. Absent: google-auth-library looks for application default
   * credentials itself (on Google Cloud, the metadata server).
   */
  readonly credentials?: GoogleCredentialsJson;
}

/** One provider endpoint serving a logical model: one `model_list` entry. */
export interface Deployment {
  /**
   * Unique across the config: `model_info.id` when given, else `<model_name>/<n>` where n counts
   * the entries with that `model_name` from 0 in file order (e.g. `fast-triage-model/0`).
   */
  readonly id: string;
  /** The logical model this deployment serves (`model_name`). */
  readonly modelName: string;
  /** The provider, from the part of `litellm_params.model` before the first `/`. */
  readonly provider: Provider;
  /** The provider's model name: the part of `litellm_params.model` after the first `/`. */
  readonly providerModel: string;
  /** `api_key`, else the provider's usual environment variable (e.g. OPENAI_API_KEY). */
  readonly apiKey?: string;
  /** `api_base`; absent means the provider's public endpoint. */
  readonly apiBase?: string;
  /** `api_version` (Azure). */
  readonly apiVersion?: string;
  /** Entra ID credentials of an Azure deployment; absent means the api-key. */
  readonly entra?: AzureEntraCredentials;
  /**
   * The AWS credentials of a Bedrock deployment signing with SigV4 with keys of its own (absent
   * with a profile or a Bedrock API key).
   */
  readonly aws?: AwsCredentials;
  /** The AWS profile a Bedrock deployment signs with, when it signs with one. */
  readonly awsProfile?: AwsProfileRef;
  /**
   * The AWS region of a Bedrock deployment (`aws_region_name`, else AWS_REGION, else
   * AWS_DEFAULT_REGION, else the profile's `region`): signed for and, without an endpoint
   * override, called.
   */
  readonly awsRegion?: string;
  /** Project, location, publisher and Google credentials of a Vertex AI deployment. */
  readonly vertex?: VertexSettings;
  /** Requests per minute this deployment may receive (`rpm`). Absent means unlimited. */
  readonly rpm?: number;
  /** Tokens per minute this deployment may receive (`tpm`). Absent means unlimited. */
  readonly tpm?: number;
  /**
   * How long one provider call may take, in milliseconds.
   * @defaultValue 600000 (see docs/config.md for the precedence)
   */
  readonly timeoutMs: number;
  /**
   * How many times a retryable failure is retried on this model before it falls back.
   * @defaultValue 2 (see docs/config.md for the precedence)
   */
  readonly maxRetries: number;
  /**
   * Relative share of the model's traffic among deployments of the same `order`.
   * @defaultValue 1
   */
  readonly weight: number;
  /** Priority: deployments with a lower `order` are used first; absent ones come last. */
  readonly order?: number;
  /** Prices overriding the built-in price table; absent means use the table. */
  readonly pricing?: DeploymentPricing;
  /** Token limits from `model_info`. */
  readonly limits: DeploymentLimits;
  /**
   * LiteLLM's `model_info.mode`. Switchyard serves chat completions.
   * @defaultValue 'chat'
   */
  readonly mode: string;
  /** `model_info.base_model`: the model whose price and limits apply (e.g. for Azure). */
  readonly baseModel?: string;
  /**
   * Call parameters `litellm_params` sets for every call to this deployment (temperature,
   * max_tokens, …): a request's own value wins. Absent when none are set.
   */
  readonly callDefaults?: Readonly<Partial<ChatCompletionRequest>>;
}

/** A logical model: what callers name, served by one or more deployments. */
export interface LogicalModel {
  /** The `model_name`. */
  readonly name: string;
  /** Its deployments in file order; several form one load-balanced group. */
  readonly deployments: readonly Deployment[];
  /** Models tried, in order, when this one fails after its retries. */
  readonly fallbacks: readonly string[];
  /** Models tried when a prompt is too long for this one. */
  readonly contextWindowFallbacks: readonly string[];
  /** Models tried when this one refuses on content policy. */
  readonly contentPolicyFallbacks: readonly string[];
}

/** How failures are retried, cooled down and fallen back from. */
export interface RouterSettings {
  /**
   * Retries of a retryable failure when no deployment or model sets its own.
   * @defaultValue 2
   */
  readonly numRetries: number;
  /** Retries per error type, overriding the deployment's `maxRetries` for that type. */
  readonly retryPolicy: Readonly<Partial<Record<ErrorType, number>>>;
  /**
   * Failures a deployment may have within a minute before it is cooled down.
   * @defaultValue 3
   */
  readonly allowedFails: number;
  /**
   * How long a cooled-down deployment stops receiving work, in milliseconds.
   * @defaultValue 5000
   */
  readonly cooldownMs: number;
  /**
   * Models tried when a model without fallbacks of its own fails.
   * @defaultValue []
   */
  readonly defaultFallbacks: readonly string[];
  /**
   * How many fallbacks one job may go through.
   * @defaultValue 5
   */
  readonly maxFallbacks: number;
  /**
   * Provider call timeout for deployments that do not set one, in milliseconds.
   * @defaultValue 600000
   */
  readonly timeoutMs: number;
  /**
   * LiteLLM's routing strategy as configured. Switchyard's pools pull by capacity, so only
   * weight and order shape the choice; any other strategy is accepted with a warning.
   * @defaultValue 'simple-shuffle'
   */
  readonly routingStrategy: RoutingStrategy;
  /**
   * Skip deployments whose `maxInputTokens` is smaller than the prompt.
   * @defaultValue false
   */
  readonly enablePreCallChecks: boolean;
}

/** The response cache (`litellm_settings.cache` and `cache_params`). */
/**
 * LiteLLM's `cache_params.mode`: `default_on` caches every request that does not opt out,
 * `default_off` only those that opt in (`cache: {"use-cache": true}`, a job's `cache.use_cache`).
 */
export const cacheModes = ['default_on', 'default_off'] as const;
export type CacheMode = (typeof cacheModes)[number];

export interface CacheSettings {
  /**
   * Whether responses are cached.
   * @defaultValue false
   */
  readonly enabled: boolean;
  /**
   * Which requests the cache serves when enabled (`cache_params.mode`).
   * @defaultValue 'default_on'
   */
  readonly mode: CacheMode;
  /**
   * How long an entry lives, in milliseconds (`cache_params.ttl`); a job's own `cache.ttl`
   * overrides it. Every cache key has a TTL, so a cache sharing a `noeviction` Redis cannot
   * fill it for good.
   * @defaultValue 3600000 (1 hour)
   */
  readonly ttlMs: number;
  /** A prefix for cache keys (`cache_params.namespace`). */
  readonly namespace?: string;
  /** The cache's Redis, from `cache_params` host/port/password. Absent means `switchyard.redis.url`. */
  readonly redisUrl?: string;
}

/** LiteLLM's `general_settings` that Switchyard uses. */
export interface GeneralSettings {
  /** The bearer token the HTTP edge requires (`master_key`). Absent means no auth. */
  readonly masterKey?: string;
}

/** Where and how JetStream streams are kept. */
export interface NatsSettings {
  /**
   * NATS server URLs.
   * @defaultValue env NATS_URL (comma-separated allowed), else ['nats://127.0.0.1:4222']
   */
  readonly servers: readonly string[];
  /**
   * The NATS user Switchyard's processes log in as (with `password`), when the server requires
   * one: each service role has its own user with only the rights that role needs (see
   * docs/tenancy.md). `os.environ/VAR` works.
   * @defaultValue env NATS_USER, else none
   */
  readonly user?: string;
  /**
   * The password of `user`.
   * @defaultValue env NATS_PASSWORD, else none
   */
  readonly password?: string;
  /**
   * Stream replicas (1..5).
   * @defaultValue 1
   */
  readonly replicas: number;
  /**
   * Stream storage.
   * @defaultValue 'file'
   */
  readonly storage: 'file' | 'memory';
  /**
   * First token of every subject (`llm.jobs.<tenant>.<model>`).
   * @defaultValue 'llm'
   */
  readonly subjectRoot: string;
  /**
   * Prepended to stream names (`LLM_JOBS`), to run several installations on one NATS.
   * @defaultValue ''
   */
  readonly streamPrefix: string;
  /**
   * The most bytes each stream may hold (`jobs_max_bytes`, `dlq_max_bytes`, `usage_max_bytes`,
   * `results_max_bytes`); -1 is no limit. A full jobs stream refuses new jobs (discard new);
   * the others drop their oldest messages. JetStream reserves a stream's max bytes from the
   * server's store when the stream is created.
   * @defaultValue with file storage jobs, dlq and results 1 GiB, usage 4 GiB; with memory
   * storage -1 (see docs/config.md)
   */
  readonly maxBytes: Readonly<Record<StreamKind, number>>;
  /**
   * The most jobs the jobs stream may hold (`jobs_max_messages`); -1 is no limit. Past it, new
   * jobs are refused (503 `jobs_stream_full`), never queued ones dropped. On nats-server before
   * 2.10.5 this is the jobs stream's only bound (its byte limit would drop queued jobs there).
   * @defaultValue 1,000,000 with file storage, -1 with memory storage
   */
  readonly jobsMaxMessages: number;
  /**
   * How long a job id (and every other `Nats-Msg-Id`) is remembered by the streams: a job
   * submitted again with the same id within it is stored once (`duplicate_window_seconds`).
   * @defaultValue 120,000 (2 minutes)
   */
  readonly duplicateWindowMs: number;
  /**
   * How long each job's final answer is kept by job id (`answers_max_age_seconds`): a
   * redelivered job is answered from it, and a job submitted again with the same id gets it
   * instead of a second provider call. @defaultValue 86,400,000 (24 hours)
   */
  readonly answersMaxAgeMs: number;
}

/** The Redis holding rate limits, budgets, spend and the cache. */
export interface RedisSettings {
  /**
   * `redis://` or `rediss://` URL.
   * @defaultValue env REDIS_URL, else 'redis://127.0.0.1:6379'
   */
  readonly url: string;
  /**
   * Prefix of every key Switchyard writes.
   * @defaultValue 'sy:'
   */
  readonly keyPrefix: string;
  /**
   * How long one Redis command may take before it fails, in ms (`command_timeout`, seconds in
   * YAML), so a Redis that stops answering fails calls instead of hanging them.
   * @defaultValue 2000
   */
  readonly commandTimeoutMs: number;
}

/** Provider worker pool settings. */
export interface WorkerSettings {
  /**
   * Jobs one worker process runs at once per deployment.
   * @defaultValue 32
   */
  readonly concurrency: number;
  /**
   * How long a stopping worker waits for in-flight jobs before handing them back, in ms.
   * @defaultValue 30000
   */
  readonly shutdownGraceMs: number;
  /**
   * The jobs consumers' AckWait, in ms (`ack_wait_seconds`): how long a crashed worker's jobs
   * wait before another worker gets them. Live workers send `working()` every third of it, so
   * it need not be longer than a provider call. See `jobsAckWaitMs`.
   * @defaultValue 30000
   */
  readonly ackWaitMs: number;
  /**
   * Jobs of one logical model delivered to workers and not yet settled, across every worker
   * (`max_in_flight`; the model consumer's `max_ack_pending`). It caps a model's calls in flight
   * whatever the workers' concurrency; JetStream holds the rest queued.
   * @defaultValue 10000
   */
  readonly maxInFlight: number;
  /**
   * `max_in_flight` of single models (`max_in_flight_by_model: { <model>: <jobs> }`); a model
   * not named here has `maxInFlight`. A null-prototype object.
   */
  readonly maxInFlightByModel: Readonly<Record<string, number>>;
}

/** The HTTP gateway's connection limits. */
export interface GatewaySettings {
  /**
   * Requests one gateway process answers at once (`max_in_flight`); more get a 503
   * `too_many_requests_in_flight` with Retry-After.
   * @defaultValue 10000
   */
  readonly maxInFlight: number;
  /**
   * The listening socket's accept queue (`backlog`): connections the kernel holds while the
   * gateway accepts them; Linux caps it at `net.core.somaxconn`.
   * @defaultValue 4096
   */
  readonly backlog: number;
}

/** The Batch and Files API (`/v1/files`, `/v1/batches`) and the batch runner. */
export interface BatchSettings {
  /**
   * Jobs of one batch submitted and not answered yet, at most (`max_in_flight`): the batch
   * runner submits more as answers arrive.
   * @defaultValue 1000
   */
  readonly maxInFlight: number;
  /**
   * Largest file `/v1/files` stores (`max_file_bytes`); more is a 413. OpenAI's limit for a
   * batch input file is 200 MB.
   * @defaultValue 209715200
   */
  readonly maxFileBytes: number;
  /**
   * Most requests one batch input file may hold (`max_requests_per_file`); more is refused at
   * upload. OpenAI's limit is 50,000.
   * @defaultValue 50000
   */
  readonly maxRequestsPerFile: number;
  /**
   * How long a batch runner's claim on a batch holds without renewal (`lease_seconds`): how
   * soon another runner resumes the batches of one that died.
   * @defaultValue 15 s
   */
  readonly leaseMs: number;
}

/** Limits of one tenant. */
export interface TenantSettings {
  /** Spend limit in USD per budget period. Absent means unlimited. */
  readonly maxBudget?: number;
  /** Length of the budget period in milliseconds. Absent means the budget never resets. */
  readonly budgetDurationMs?: number;
}

/** The `switchyard:` section: settings LiteLLM does not have. */
export interface SwitchyardSettings {
  readonly nats: NatsSettings;
  readonly redis: RedisSettings;
  readonly worker: WorkerSettings;
  readonly gateway: GatewaySettings;
  readonly batches: BatchSettings;
  /** Tenant settings by tenant id; always contains `default`. A null-prototype object. */
  readonly tenants: Readonly<Record<string, TenantSettings>>;
}

/** The whole configuration, validated, with defaults applied, durations in ms, deeply frozen. */
/** One of `router_settings.model_group_alias`: a second name for a logical model. */
export interface ModelAlias {
  /** The logical model the alias stands for. */
  readonly model: string;
  /** Left out of `GET /v1/models` (LiteLLM's `hidden: true`); still served. */
  readonly hidden: boolean;
}

export interface SwitchyardConfig {
  /** Logical models by `model_name`. A null-prototype object: look up with `Object.hasOwn`. */
  readonly models: Readonly<Record<string, LogicalModel>>;
  /**
   * `router_settings.model_group_alias` by alias (a null-prototype object). A request that
   * names an alias at the gateway (HTTP or a plain NATS request) is a job of the model it
   * stands for.
   */
  readonly modelAliases: Readonly<Record<string, ModelAlias>>;
  readonly router: RouterSettings;
  readonly cache: CacheSettings;
  /**
   * Drop request parameters a provider does not support instead of failing.
   * @defaultValue false
   */
  readonly dropParams: boolean;
  readonly general: GeneralSettings;
  readonly switchyard: SwitchyardSettings;
}

/** What the loader returns: the config and the warnings to log once at start-up. */
export interface LoadedConfig {
  readonly config: SwitchyardConfig;
  /** Human-readable warnings (unsupported keys, ignored strategies); never contain secrets. */
  readonly warnings: string[];
}
