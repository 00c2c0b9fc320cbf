import type { Command } from 'commander';
import { hashPassword } from '../../domain/password.js';
import { CliExit, runCommand } from '../fail.js';
import { readSecret } from '../read-secret.js';

export function hashPasswordCommand(program: Command): void {
  program
    .command('hash-password')
    .description('read a password from stdin (no echo at a terminal) and print its scrypt hash for passwordHash in YAML')
    .action(() =>
      runCommand('livechatd', async () => {
        const password = await readPassword();
        process.stdout.write(`${await hashPassword(password)}\n`);
      }),
    );
}

async function readPassword(): Promise<string> {
  const password = await readSecret('Password: ');
  if (password.length === 0) throw new CliExit(1, 'empty password; type one, or pipe it on stdin');
  if (process.stdin.isTTY) {
    const again = await readSecret('Repeat password: ');
    if (again !== password) throw new CliExit(1, 'the passwords did not match; nothing was printed');
  }
  return password;
}
