import { RestError, SchemaRegistryClient, type Client } from '@confluentinc/schemaregistry';
import { stackEndpoints } from '../stack/endpoints.ts';
import { EntropyLongError, UserError, errorMessage } from '../util/errors.ts';

/** A client for the registry's Confluent-compatible API (ENTROPYLONG_REGISTRY_URL, else the local stack's Apicurio). */
export function createRegistryClient(url: string = stackEndpoints().registryUrl, maxRetries = 3): { client: Client; url: string } {
  return { client: new SchemaRegistryClient({ baseURLs: [url], maxRetries, retriesWaitMs: 300, retriesMaxWaitMs: 3_000, cacheLatestTtlSecs: 1 }), url };
}

/** HTTP status of a registry error, when the registry answered at all. */
export const registryStatus = (e: unknown): number | undefined => (e instanceof RestError ? e.status : undefined);

const isNetworkError = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;

/**
 * Registry errors: no answer (a network error), 408, 429 and 5xx are retriable; any other 4xx,
 * and a value that does not fit its schema or bytes that are not Avro, are not.
 */
export function classifyRegistryError(e: unknown, what: string): EntropyLongError {
  if (e instanceof EntropyLongError) return e;
  const status = registryStatus(e);
  const retriable = status === undefined ? isNetworkError(e) : status === 408 || status === 429 || status >= 500;
  return new EntropyLongError(`${what}: ${errorMessage(e)}`, { retriable, cause: e });
}

/** A failure to reach the registry as the one-line error the CLI prints. */
export function registryUnreachable(url: string, e: unknown): UserError {
  return new UserError(`cannot reach the schema registry at ${url}: ${errorMessage(e)} (start it with 'npm run stack:up' or set ENTROPYLONG_REGISTRY_URL)`, { cause: e });
}
