import type { Client } from '@confluentinc/schemaregistry';
import type { TopicSpec } from '../topics/topic-spec.ts';
import { AvroCodec, topicNameSubject, type SubjectForTopic } from './avro-codec.ts';
import { messageKinds, type MessageKind } from './message-kinds.ts';
import { loadSchemaFile } from './schema-files.ts';

type Kinds = typeof messageKinds;
type TypeOf<K> = K extends MessageKind<infer T> ? T : never;
export type Codecs = { readonly [K in keyof Kinds]: AvroCodec<TypeOf<Kinds[K]>> };

/** The subject of each declared topic's values, falling back to `<topic>-value` for others. */
export function subjectsFromTopics(specs: readonly TopicSpec[]): SubjectForTopic {
  const byTopic = new Map(specs.map((s) => [s.name, s.valueSubject]));
  return (topic) => byTopic.get(topic) ?? topicNameSubject(topic);
}

/** One typed codec per message kind, each with its schema from `schemasDir`. */
export async function loadCodecs(client: Client, options: { schemasDir?: string; subjectFor?: SubjectForTopic } = {}): Promise<Codecs> {
  const dir = options.schemasDir ?? 'schemas';
  const entries = await Promise.all(
    (Object.entries(messageKinds) as [keyof Kinds, MessageKind<unknown>][]).map(async ([name, kind]) =>
      [name, new AvroCodec(client, kind, await loadSchemaFile(dir, kind.schemaFile), options.subjectFor)] as const),
  );
  return Object.fromEntries(entries) as unknown as Codecs;
}
