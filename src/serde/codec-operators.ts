import { concatMap, type OperatorFunction } from 'rxjs';
import { failed, ok, type Envelope, type Outcome } from '../domain/index.ts';
import { EntropyLongError } from '../util/errors.ts';
import type { AvroCodec } from './avro-codec.ts';

type Decoder<T> = Pick<AvroCodec<T>, 'deserialize'>;
type Encoder<T> = Pick<AvroCodec<T>, 'serialize'>;

/**
 * Decodes consumed messages, in order. Bytes that cannot be decoded (not Avro, unknown schema id,
 * wrong shape) become a non-retriable `failed` outcome, so the message goes to the dead-letter
 * topic with its original bytes. A retriable error (the registry does not answer) is not the
 * message's fault: it errors the stream, the process restarts, and the message is read again.
 */
export function decodeWith<T>(codec: Decoder<T>): OperatorFunction<Envelope<Buffer>, Envelope<Outcome<T>>> {
  return concatMap(async (env) => {
    const topic = env.source?.topic ?? '';
    try {
      return { ...env, value: ok(await codec.deserialize(topic, env.value)) };
    } catch (e) {
      const error = e instanceof EntropyLongError ? e : new EntropyLongError(`decoding a value from topic ${topic}: ${String(e)}`, { cause: e });
      if (error.retriable) throw error;
      return { ...env, value: failed<T>(error, false) };
    }
  });
}

/**
 * Encodes `ok` values for `topic`, in order; other outcomes pass through. A value that does not
 * fit its schema becomes a non-retriable `failed` outcome; a retriable error errors the stream.
 */
export function encodeWith<T>(codec: Encoder<T>, topic: string): OperatorFunction<Envelope<Outcome<T>>, Envelope<Outcome<Buffer>>> {
  return concatMap(async (env): Promise<Envelope<Outcome<Buffer>>> => {
    const o = env.value;
    if (o.kind !== 'ok') return { ...env, value: o };
    try {
      return { ...env, value: ok(await codec.serialize(topic, o.value)) };
    } catch (e) {
      const error = e instanceof EntropyLongError ? e : new EntropyLongError(`encoding a value for topic ${topic}: ${String(e)}`, { cause: e });
      if (error.retriable) throw error;
      return { ...env, value: failed<Buffer>(error, false) };
    }
  });
}
