import type { Deployment, DeploymentPricing } from '@switchyard/config';
import { indexPriceTable, PICOS_PER_USD, priceTable, type TokenPrice } from './price-table';

const builtIn = indexPriceTable(priceTable);

/**
 * Providers whose models are priced under another provider's table: Azure OpenAI
 * deployments are OpenAI models (name them with `model_info.base_model` when the Azure
 * deployment name is not the model name); `cohere_chat` is LiteLLM's other spelling of `cohere`.
 */
const tableOf: Readonly<Record<string, string>> = { azure: 'openai', cohere_chat: 'cohere' };

/**
 * Bedrock's cross-region inference profile ids put a geography before the model id
 * (`us.anthropic.claude-…`, `eu.…`, `apac.…`, `global.…`). A profile the table lists is priced
 * as listed (geographic profiles of recent Claude models cost 10% more); any other is priced
 * as its model id, as the global profile is.
 */
const bedrockGeoPrefix = /^(?:us|eu|apac|us-gov|jp|au|ca|global)\./;

/**
 * A per-token override (`input_cost_per_token` / `output_cost_per_token`, USD per token as
 * in LiteLLM) as pico-dollars per token, rounded to the nearest pico-dollar. It replaces the
 * table's price entirely: cached prompt tokens cost the input price and reasoning tokens the
 * output price, since the override names no others.
 */
export function overridePrice(pricing: DeploymentPricing): TokenPrice {
  const input = Math.round(pricing.inputPerToken * PICOS_PER_USD);
  const output = Math.round(pricing.outputPerToken * PICOS_PER_USD);
  return {
    inputPicos: input,
    outputPicos: output,
    cachedInputPicos: input,
    reasoningPicos: output,
    source: 'config',
  };
}

/**
 * The price of a provider's model: the override when given, else the built-in table's entry
 * for exactly that name or one of its listed aliases (no prefix guessing: a dated snapshot
 * not listed may have another price; only a Bedrock inference profile not in the table is
 * looked up again without its geography), else undefined — the price is unknown.
 */
export function priceFor(
  provider: string,
  providerModel: string,
  overrides?: DeploymentPricing,
): TokenPrice | undefined {
  if (overrides !== undefined) return overridePrice(overrides);
  const models = builtIn.get(tableOf[provider] ?? provider);
  const exact = models?.get(providerModel);
  if (exact !== undefined || provider !== 'bedrock') return exact;
  return models?.get(providerModel.replace(bedrockGeoPrefix, ''));
}

/**
 * The price of a configured deployment: its `pricing` override, else the table's price of
 * its `model_info.base_model` when set, else of its provider model.
 */
export function priceForDeployment(
  deployment: Pick<Deployment, 'provider' | 'providerModel' | 'baseModel' | 'pricing'>,
): TokenPrice | undefined {
  return priceFor(
    deployment.provider,
    deployment.baseModel ?? deployment.providerModel,
    deployment.pricing,
  );
}
