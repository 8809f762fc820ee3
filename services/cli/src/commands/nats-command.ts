import { parseArgs } from 'node:util';
import { DEFAULT_SUBJECT_ROOT } from '@switchyard/contracts';
import type { CliCommand } from '../cli-command';
import { authConfigFile } from '../nats/auth-config-file';
import { tenantLoginOption } from '../nats/tenant-login-option';

/** `arg` as one word of a POSIX shell command line. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export const natsCommand: CliCommand = {
  name: 'nats',
  usage: `  nats auth-config [--tenant <id>=<VAR|bcrypt hash>]... [--subject-root llm]
                   [--stream-prefix <p>]
                              Print the NATS users of an installation (the file deploy/nats/
                              auth.conf is): one per service role, switchyard-<role>, with the
                              password $NATS_<ROLE>_PASSWORD from nats-server's environment,
                              and one per --tenant, whose password is a variable of
                              nats-server (NATS_ACME_PASSWORD) or a bcrypt hash.`,
  run({ argv, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string', multiple: true, default: [] },
        'subject-root': { type: 'string', default: DEFAULT_SUBJECT_ROOT },
        'stream-prefix': { type: 'string', default: '' },
      },
    });
    if (positionals.length !== 1 || positionals[0] !== 'auth-config') return Promise.resolve(2);
    const options = [
      ...(values['subject-root'] === DEFAULT_SUBJECT_ROOT
        ? []
        : ['--subject-root', values['subject-root']]),
      ...(values['stream-prefix'] === '' ? [] : ['--stream-prefix', values['stream-prefix']]),
      ...values.tenant.flatMap((tenant) => ['--tenant', tenant]),
    ];
    out.write(
      authConfigFile({
        tenants: values.tenant.map(tenantLoginOption),
        subjectRoot: values['subject-root'],
        streamPrefix: values['stream-prefix'],
        command: ['nats', 'auth-config', ...options].map(shellWord).join(' '),
      }),
    );
    return Promise.resolve(0);
  },
};
