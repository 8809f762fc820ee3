import OpenAI, { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { waitUntil } from '../pipeline/pipeline-harness.test-support';
import { spawnService, type ServiceProcess } from '../processes/service-process.test-support';

/** The prompt of line `i` of a crash test's batch: one distinct simulator call key per line. */
export const promptOf = (i: number) => `line-${i}: where is the blue train going?`;

/** A batch input file of `lines` chat completions of `model`, custom_ids `email-<i>`. */
export function batchInputFile(lines: number, model = 'triage'): string {
  return Array.from({ length: lines }, (_, i) =>
    JSON.stringify({
      custom_id: `email-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model, messages: [{ role: 'user', content: promptOf(i) }] },
    }),
  ).join('\n');
}

/** Starts the gateway's compiled main on a free port (no master key) and reads its url. */
export async function startGatewayProcess(
  configPath: string,
): Promise<{ process: ServiceProcess; url: string }> {
  const gateway = await spawnService(
    'gateway',
    ['--config', configPath, '--port', '0', '--insecure'],
    'gateway listening on',
  );
  const url = /gateway listening on (\S+)/.exec(gateway.output())?.[1];
  if (url === undefined) throw new Error(`no gateway url in: ${gateway.output()}`);
  return { process: gateway, url };
}

/** Starts the batch runner's compiled main and waits until it watches the bucket. */
export const startRunnerProcess = (configPath: string) =>
  spawnService('batch', ['--config', configPath], 'batch runner started');

/** The openai SDK on a gateway, with no retries (a failure shows). */
export const sdkOn = (url: string) =>
  new OpenAI({ apiKey: 'none', baseURL: `${url}/v1`, maxRetries: 0 });

/** Uploads `input` and creates a 24-hour chat completions batch of it. */
export async function createBatch(client: OpenAI, input: string): Promise<Batch> {
  const file = await client.files.create({
    file: await toFile(Buffer.from(input), 'emails.jsonl'),
    purpose: 'batch',
  });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
}

/** One line of a batch's output file, as far as the crash tests read it. */
export interface OutputLine {
  custom_id: string;
  response: { request_id: string };
}

/** Waits until the batch is completed, and reads it and its output file's lines. */
export async function completedBatch(
  client: OpenAI,
  batchId: string,
  timeoutMs: number,
): Promise<{ batch: Batch; output: OutputLine[] }> {
  await waitUntil(
    async () => (await client.batches.retrieve(batchId)).status === 'completed',
    timeoutMs,
  );
  const batch = await client.batches.retrieve(batchId);
  const text = await (await client.files.content(batch.output_file_id as string)).text();
  const output = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutputLine);
  return { batch, output };
}
