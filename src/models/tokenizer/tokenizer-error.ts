import { EntropyLongError } from '../../util/errors.ts';

/** A tokenizer that cannot be built or text it cannot take. Never retriable: the input is at fault. */
export class TokenizerError extends EntropyLongError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, cause: options.cause });
  }
}
