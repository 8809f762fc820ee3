import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loggerFromEnv, runMain, stopSignal } from '@switchyard/entrypoint';
import { parseScenario } from './scenario';
import { startProviderSim } from './server';

const usage = `provider-sim: a simulator of the OpenAI, Azure OpenAI, Anthropic and Gemini APIs

  node dist/services/provider-sim/main.mjs [--port 4010] [--host 127.0.0.1] [--scenario file.json]

  --port      port to listen on (0: a free one)           default 4010
  --host      address to listen on                         default 127.0.0.1
  --scenario  a scenario file: settings and faults (see services/provider-sim/README.md)
`;

/** Exit codes: 0 stopped by a signal, 1 failed to start, 2 bad command line. */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(
      `provider-sim: --port must be a port number, got "${values.port}"\n\n${usage}`,
    );
    return 2;
  }
  const log = loggerFromEnv('provider-sim', env);
  let scenario = {};
  if (values.scenario !== undefined) {
    const text = await readFile(values.scenario, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${values.scenario}: not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    const checked = parseScenario(parsed);
    if (!checked.ok) throw new Error(`${values.scenario}: ${checked.message}`);
    scenario = checked.value;
  }
  const sim = await startProviderSim({ port, host: values.host, scenario, logger: log });
  process.stdout.write(`provider-sim listening on ${sim.url}\n`);
  await stopSignal();
  await sim.stop();
  return 0;
}

runMain('provider-sim', () => main(process.argv.slice(2), process.env));
