import { runMain } from '@switchyard/entrypoint';
import { commands } from './commands';
import { usage } from './usage';

/** Exit codes: 0 done, 1 failed (the message says why), 2 the command line was wrong. */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command !== undefined) {
    let code: number;
    try {
      code = await command.run({ argv: rest, env, out: process.stdout, err: process.stderr });
    } catch (error) {
      if (!(
        error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS')
      ))
        throw error;
      process.stderr.write(`switchyard ${name}: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (code === 2)
      process.stderr.write(`switchyard: wrong use of "${argv.join(' ')}"\n\n${usage}`);
    return code;
  }
  process.stderr.write(`switchyard: unknown command "${argv.join(' ')}"\n\n${usage}`);
  return 2;
}

runMain('switchyard', () => main(process.argv.slice(2), process.env));
