export { vertexAdapter } from './vertex.adapter';
export { GoogleTokens, googleCloudScope, googleTokens } from './google-tokens';
