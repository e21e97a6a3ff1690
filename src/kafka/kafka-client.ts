import { Kafka, Partitioners, logLevel, type KafkaConfig, type Producer } from 'kafkajs';
import { stackEndpoints } from '../stack/endpoints.ts';
import { EntropyLongError, UserError, errorMessage } from '../util/errors.ts';

export interface KafkaClientOptions {
  readonly brokers?: readonly string[];
  readonly clientId?: string;
  /** Retries of a failed request before the error surfaces (kafkajs: exponential with jitter). */
  readonly retries?: number;
  readonly connectionTimeoutMs?: number;
}

/** A kafkajs client for the configured brokers (ENTROPYLONG_KAFKA_BROKERS, else the local stack). */
export function createKafka(options: KafkaClientOptions = {}): { kafka: Kafka; brokers: readonly string[] } {
  const brokers = options.brokers ?? stackEndpoints().kafkaBrokers;
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'entropylong',
    brokers: [...brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    retry: { retries: options.retries ?? 5, initialRetryTime: 300 },
    logLevel: process.env.ENTROPYLONG_KAFKA_LOG === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
  };
  return { kafka: new Kafka(config), brokers };
}

/** Turns a failure to reach the brokers into the one-line error the CLI prints. */
export function unreachable(brokers: readonly string[], e: unknown): UserError {
  return new UserError(`cannot reach Kafka at ${brokers.join(',')}: ${errorMessage(e)} (start it with 'npm run stack:up' or set ENTROPYLONG_KAFKA_BROKERS)`, { cause: e });
}

/**
 * Classifies any error met while talking to Kafka: kafkajs marks its errors retriable at birth;
 * anything else (a programming error, a bad argument) is not.
 */
export function classifyKafkaError(e: unknown, what: string): EntropyLongError {
  if (e instanceof EntropyLongError) return e;
  const retriable = typeof e === 'object' && e !== null && 'retriable' in e && (e as { retriable: unknown }).retriable === true;
  return new EntropyLongError(`${what}: ${errorMessage(e)}`, { retriable, cause: e });
}

/**
 * The producer the sinks use: idempotent (no duplicates from its own retries; one request in
 * flight per broker, as kafkajs requires) and partitioning keys as the Java client does, so a
 * document id lands on the same partition whichever client wrote it.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
}
