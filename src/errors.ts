/**
 * A mistake the user can fix (bad input, bad option). The CLI prints `message` as one paragraph
 * and exits with code 1, without a stack trace. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** Exit code the CLI should use: 1 for bad input, 2 for bad usage. */
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Raised when a run is stopped by the user (SIGINT) or by an `AbortSignal`. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
