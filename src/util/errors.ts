/**
 * Errors carry their classification from birth (as kafkajs does): `retriable` says whether trying
 * the same thing again may succeed; `cause` keeps the underlying error.
 */
export class EntropyLongError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/**
 * An error the user can fix (bad flag, bad file, port taken, missing tool). The CLI prints its
 * message as one line, without a stack, and exits non-zero.
 */
export class UserError extends EntropyLongError {
  readonly exitCode: number;
  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, { retriable: false, cause: options.cause });
    this.exitCode = options.exitCode ?? 2;
  }
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
