import { AvroDeserializer, AvroSerializer, SerdeType, type Client } from '@confluentinc/schemaregistry';
import { EntropyLongError } from '../util/errors.ts';
import { fromAvro, toAvro } from './case-mapping.ts';
import { classifyRegistryError, registryStatus } from './registry-client.ts';
import type { MessageKind } from './message-kinds.ts';
import type { SchemaFile } from './schema-files.ts';

/** Subject of a topic's values; the default is the registry's TopicNameStrategy, `<topic>-value`. */
export type SubjectForTopic = (topic: string) => string;
export const topicNameSubject: SubjectForTopic = (topic) => `${topic}-value`;

/**
 * Typed Avro codec for one message kind, through the schema registry (Confluent wire format:
 * magic byte, schema id, Avro body). Values are written with exactly this file's schema, which
 * must already be registered under the topic's subject (`entropylong schemas register`); it is
 * never auto-registered. Values are read with the writer's schema from the registry, then shaped
 * by this file's schema (see case-mapping.ts).
 */
export class AvroCodec<T> {
  readonly #client: Client;
  readonly #schema: SchemaFile;
  readonly #subjectFor: SubjectForTopic;
  readonly #serializers = new Map<string, Promise<AvroSerializer>>();
  readonly #deserializer: AvroDeserializer;

  constructor(client: Client, _kind: MessageKind<T>, schema: SchemaFile, subjectFor: SubjectForTopic = topicNameSubject) {
    this.#client = client;
    this.#schema = schema;
    this.#subjectFor = subjectFor;
    this.#deserializer = new AvroDeserializer(client, SerdeType.VALUE, { subjectNameStrategy: (topic) => subjectFor(topic) });
  }

  async serialize(topic: string, value: T): Promise<Buffer> {
    const serializer = await this.#serializerFor(topic);
    try {
      return await serializer.serialize(topic, toAvro(this.#schema.type, value));
    } catch (e) {
      throw classifyRegistryError(e, `encoding a value for topic ${topic} with ${this.#schema.path}`);
    }
  }

  async deserialize(topic: string, bytes: Buffer): Promise<T> {
    let decoded: unknown;
    try {
      decoded = await this.#deserializer.deserialize(topic, bytes);
    } catch (e) {
      throw classifyRegistryError(e, `decoding a value from topic ${topic}`);
    }
    if (decoded === null) throw new EntropyLongError(`decoding a value from topic ${topic}: the message is empty`, { retriable: false });
    // The schemas-domain unit test proves this file's schema and T describe the same shape.
    return fromAvro(this.#schema.type, decoded) as T;
  }

  #serializerFor(topic: string): Promise<AvroSerializer> {
    let pending = this.#serializers.get(topic);
    if (!pending) {
      pending = this.#createSerializer(topic);
      pending.catch(() => this.#serializers.delete(topic));
      this.#serializers.set(topic, pending);
    }
    return pending;
  }

  async #createSerializer(topic: string): Promise<AvroSerializer> {
    const subject = this.#subjectFor(topic);
    let id: number;
    try {
      id = await this.#client.getId(subject, { schemaType: 'AVRO', schema: this.#schema.text }, false);
    } catch (e) {
      if (registryStatus(e) === 404) {
        throw new EntropyLongError(`${this.#schema.path} is not registered under subject '${subject}' (run 'entropylong schemas register')`, { retriable: false, cause: e });
      }
      throw classifyRegistryError(e, `looking up the id of ${this.#schema.path} under subject '${subject}'`);
    }
    return new AvroSerializer(this.#client, SerdeType.VALUE, { autoRegisterSchemas: false, useSchemaId: id, subjectNameStrategy: (t) => this.#subjectFor(t) });
  }
}
