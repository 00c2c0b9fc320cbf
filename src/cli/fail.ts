/**
 * How every command ends on failure: one line a person can act on, on stderr, and a non-zero exit code.
 * Only cli/ decides exit codes; everything below throws AppErrors with messages written for people.
 */
import { isAppError } from '../domain/errors.js';

export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof CliExit || isAppError(err)) return err.message;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return `cannot listen: address ${(err as { address?: string }).address ?? ''}:${(err as { port?: number }).port ?? ''} is already in use`;
  if (code === 'EACCES') return `permission denied: ${(err as Error).message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Runs a command body and maps its outcome onto the process exit code. */
export async function runCommand(program: string, body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (err) {
    if (err instanceof CliExit) {
      if (err.message) process.stderr.write(`${program}: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`${program}: ${describeError(err)}\n`);
    process.exitCode = 1;
  }
}
