import { EntropyLongError } from '../util/errors.ts';

interface StatusLike {
  readonly error_code?: string | number;
  readonly code?: number;
  readonly reason?: string;
  readonly retriable?: boolean;
}

/** The SDK reports most failures as a status rather than an exception; this turns them into errors. */
export function checkStatus(what: string, status: StatusLike | undefined): void {
  if (status === undefined) throw new EntropyLongError(`milvus: ${what}: no status in the reply`, { retriable: true });
  const ok = (status.error_code === 'Success' || status.error_code === 0 || status.error_code === undefined) && (status.code ?? 0) === 0;
  if (!ok) throw new EntropyLongError(`milvus: ${what}: ${status.reason || String(status.error_code)}`, { retriable: status.retriable ?? false });
}

/** A thrown SDK/gRPC error (connection refused, deadline): the service may come back, so retriable. */
export function transportError(what: string, address: string, cause: unknown): EntropyLongError {
  if (cause instanceof EntropyLongError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new EntropyLongError(`milvus at ${address}: ${what}: ${message} (is it running? \`npm run stack:up\` starts the local one)`, { retriable: true, cause });
}
