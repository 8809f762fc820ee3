import { describe, expect, it } from 'vitest';
import { parse, problemsOf, twoModels, yaml } from './spec-helpers';

describe('router settings', () => {
  it("has LiteLLM's defaults", () => {
    expect(parse(twoModels).config.router).toEqual({
      numRetries: 2,
      retryPolicy: {},
      allowedFails: 3,
      cooldownMs: 5_000,
      defaultFallbacks: [],
      maxFallbacks: 5,
      timeoutMs: 600_000,
      routingStrategy: 'simple-shuffle',
      enablePreCallChecks: false,
    });
  });

  it("maps LiteLLM's retry_policy keys to error types and accepts Switchyard's names", () => {
    const { config, warnings } = parse(
      twoModels +
        yaml`
          router_settings:
            cooldown_time: 0.25
            retry_policy:
              RateLimitErrorRetries: 4
              InternalServerErrorRetries: 1
              connection: 2
              deadline_exceeded: 0
              FancyErrorRetries: 9
        `,
    );
    expect(config.router.retryPolicy).toEqual({
      rate_limit: 4,
      server: 1,
      connection: 2,
      deadline_exceeded: 0,
    });
    expect(config.router.cooldownMs).toBe(250);
    expect(warnings).toEqual([
      'config.yaml: 1 unsupported key is ignored: router_settings.retry_policy.FancyErrorRetries (line 17)',
    ]);
  });

  it('rejects the same error type set twice, and num_retries beside its alias max_retries', () => {
    const problems = problemsOf(
      twoModels +
        yaml`
          router_settings:
            num_retries: 1
            max_retries: 2
            retry_policy: { RateLimitErrorRetries: 4, rate_limit: 5 }
        `,
    );
    expect(problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      '12 router_settings.max_retries: both num_retries and its alias max_retries are set; keep one',
      '13 router_settings.retry_policy.rate_limit: retries for rate_limit are already set by RateLimitErrorRetries; keep one',
    ]);
  });

  it.each([
    'least-busy',
    'usage-based-routing',
    'usage-based-routing-v2',
    'latency-based-routing',
    'cost-based-routing',
  ])('reads routing_strategy %s', (strategy) => {
    const { config, warnings } = parse(
      `${twoModels}router_settings:\n  routing_strategy: ${strategy}\n`,
    );
    expect(config.router.routingStrategy).toBe(strategy);
    expect(warnings).toEqual([]);
  });

  it('rejects an unknown routing_strategy', () => {
    expect(problemsOf(`${twoModels}router_settings:\n  routing_strategy: round-robin\n`)).toEqual([
      {
        path: 'router_settings.routing_strategy',
        line: 11,
        column: 21,
        message:
          'expected one of simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2, latency-based-routing, cost-based-routing, got "round-robin"',
      },
    ]);
  });

  it('reads the remaining router settings', () => {
    const { config } = parse(
      twoModels +
        yaml`
          router_settings:
            allowed_fails: 0
            max_fallbacks: 0
            enable_pre_call_checks: true
            timeout: 12
        `,
    );
    expect(config.router).toMatchObject({
      allowedFails: 0,
      maxFallbacks: 0,
      enablePreCallChecks: true,
      timeoutMs: 12_000,
    });
  });
});
