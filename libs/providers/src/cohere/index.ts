export { cohereAdapter } from './cohere.adapter';
