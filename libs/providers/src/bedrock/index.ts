export { bedrockAdapter } from './bedrock.adapter';
export { AwsProfileCredentials, type ResolvedAwsCredentials } from './aws-profile-credentials';
