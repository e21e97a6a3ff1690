/** Where the services of the stack answer, as clients need them. */
export interface StackEndpoints {
  readonly kafkaBrokers: readonly string[];
  /** Confluent-compatible API of the schema registry (Apicurio's ccompat v7). */
  readonly registryUrl: string;
  /** host:port of the Milvus gRPC endpoint. */
  readonly milvusAddress: string;
}

/** Defaults match `entropylong stack up`'s default ports. */
export const defaultPorts = { kafka: 9092, registry: 8081, milvus: 19530 } as const;

/**
 * Endpoints of the local stack (or of any deployment), overridable by
 * ENTROPYLONG_KAFKA_BROKERS (comma-separated host:port list), ENTROPYLONG_REGISTRY_URL and
 * ENTROPYLONG_MILVUS_ADDRESS. The port variables of `stack up` (ENTROPYLONG_KAFKA_PORT,
 * ENTROPYLONG_REGISTRY_PORT, ENTROPYLONG_MILVUS_PORT) are honoured when no full override is set.
 */
export function stackEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    const n = raw === undefined || raw === '' ? fallback : Number(raw);
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : fallback;
  };
  const brokers = env.ENTROPYLONG_KAFKA_BROKERS?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return {
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : [`127.0.0.1:${port('ENTROPYLONG_KAFKA_PORT', defaultPorts.kafka)}`],
    registryUrl: nonEmpty(env.ENTROPYLONG_REGISTRY_URL) ?? `http://127.0.0.1:${port('ENTROPYLONG_REGISTRY_PORT', defaultPorts.registry)}/apis/ccompat/v7`,
    milvusAddress: nonEmpty(env.ENTROPYLONG_MILVUS_ADDRESS) ?? `127.0.0.1:${port('ENTROPYLONG_MILVUS_PORT', defaultPorts.milvus)}`,
  };
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());
