import { UserError } from './user-error';

/**
 * A port given on the command line (`--metrics-port 9464`), or undefined when the option was
 * not given. Throws a UserError naming the option for anything but a whole number 0–65535.
 */
export function portOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(`--${name} must be a port number, got "${text}"`);
  }
  return port;
}
