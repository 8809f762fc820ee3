import { generateKeyPairSync } from 'node:crypto';
import type { GoogleCredentialsJson } from '@switchyard/config';

/** A throwaway Google service account made for one test run: never a real key, never committed. */
export interface TestServiceAccount {
  /** The key file's JSON, its `token_uri` at the simulator. */
  readonly credentials: GoogleCredentialsJson & { client_email: string; private_key: string };
  /** The public half, for the simulator to check the JWT's signature (addGoogleServiceAccount). */
  readonly publicKeyPem: string;
}

let accounts = 0;

/** A new RSA key pair and the service account key file that holds it, for the simulator at `simUrl`. */
export function testServiceAccount(simUrl: string, project = 'sim-project'): TestServiceAccount {
  accounts += 1;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    credentials: {
      type: 'service_account',
      project_id: project,
      private_key_id: `sim-key-${accounts}`,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: `switchyard-${accounts}@${project}.iam.gserviceaccount.com`,
      client_id: String(100000 + accounts),
      token_uri: `${simUrl}/token`,
    },
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** `vertex_credentials: "<the JSON>"` as one YAML flow-map entry. */
export function vertexCredentialsParam(credentials: GoogleCredentialsJson): string {
  return `vertex_credentials: ${JSON.stringify(JSON.stringify(credentials))}`;
}
