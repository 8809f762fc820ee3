export {
  PICOS_PER_USD,
  PriceError,
  indexPriceTable,
  modelPriceSchema,
  picosPerTokenFromPerMillion,
  priceTable,
  priceTableSchema,
  tokenPriceOf,
  type ModelPrice,
  type PriceTable,
  type TokenPrice,
} from './price-table';
export { overridePrice, priceFor, priceForDeployment } from './token-price';
export {
  costOf,
  costPicosOf,
  picosToUsd,
  tokenCountsOf,
  usdToPicos,
  type TokenCounts,
} from './cost';
