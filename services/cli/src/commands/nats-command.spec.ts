import { UserError } from '@switchyard/entrypoint';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../cli-output.test-support';
import { natsCommand } from './nats-command';

const authConfig = (...argv: string[]) => runCommand(natsCommand, ['auth-config', ...argv]);
const bcrypt = `$2a$11$${'a'.repeat(53)}`;

describe('switchyard nats auth-config', () => {
  it('prints one user per service role, its password the variable $NATS_<ROLE>_PASSWORD, under a header saying how it was made', async () => {
    const { code, out } = await authConfig();
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[2]).toBe('#   npx switchyard nats auth-config');
    expect(lines).toContain('#   switchyard-metering  $NATS_METERING_PASSWORD');
    expect(out).toContain('\nauthorization {\n  users = [\n');
    for (const role of ['gateway', 'worker', 'fallback', 'metering', 'admin']) {
      expect(out).toContain(
        `{ user: "switchyard-${role}", password: $NATS_${role.toUpperCase()}_PASSWORD, `,
      );
    }
    expect(out).not.toMatch(/password: "/);
  });

  it('adds a user per --tenant, with a variable or a bcrypt hash, and the options in the header', async () => {
    const { code, out } = await authConfig(
      '--tenant',
      'acme=NATS_ACME_PASSWORD',
      '--tenant',
      `globex=${bcrypt}`,
      '--subject-root',
      'sy.llm',
    );
    expect(code).toBe(0);
    expect(out).toContain(
      `#   npx switchyard nats auth-config --subject-root sy.llm --tenant acme=NATS_ACME_PASSWORD --tenant 'globex=${bcrypt}'`,
    );
    expect(out).toContain('{ user: "acme", password: $NATS_ACME_PASSWORD, ');
    expect(out).toContain(`{ user: "globex", password: "${bcrypt}", `);
    expect(out).toContain('#   globex               a bcrypt hash');
    expect(out).toContain('"sy.llm.jobs.acme.>"');
  });

  it('refuses a bad tenant, a password given as such (without echoing it), a shared variable and a bad subject root', async () => {
    await expect(authConfig('--tenant', 'acme')).rejects.toThrow(
      '--tenant must be <tenant id>=<password variable or bcrypt hash>, got "acme"',
    );
    await expect(authConfig('--tenant', 'a.b=NATS_AB_PASSWORD')).rejects.toThrow(
      'invalid tenant "a.b": must be 1 to 64 characters of A-Z a-z 0-9 _ -',
    );
    const plain = authConfig('--tenant', 'acme=hunter2');
    await expect(plain).rejects.toThrow(UserError);
    await expect(plain).rejects.toThrow(
      /^--tenant acme=…: the password must be the name of an environment variable/,
    );
    await expect(plain).rejects.not.toThrow(/hunter2/);
    await expect(authConfig('--tenant', 'acme=NATS_ADMIN_PASSWORD')).rejects.toThrow(
      '--tenant acme: NATS_ADMIN_PASSWORD is the password of switchyard-admin; give the tenant a variable of its own',
    );
    await expect(authConfig('--tenant', 'switchyard-admin=NATS_X_PASSWORD')).rejects.toThrow(
      'user "switchyard-admin" is used twice',
    );
    await expect(authConfig('--subject-root', 'a b')).rejects.toThrow(UserError);
    expect((await runCommand(natsCommand, ['users'])).code).toBe(2);
    expect((await runCommand(natsCommand, [])).code).toBe(2);
  });
});
