export { AvroCodec, topicNameSubject, type SubjectForTopic } from './avro-codec.ts';
export { loadCodecs, subjectsFromTopics, type Codecs } from './codecs.ts';
export { messageKinds, type MessageKind } from './message-kinds.ts';
export { createRegistryClient, classifyRegistryError } from './registry-client.ts';
export { loadSchemaFile, type SchemaFile } from './schema-files.ts';
export { compatibilityProblems, type CompatibilityLevel } from './schema-compatibility.ts';
export { planSchemas, registerSchemas } from './schema-sync.ts';
export { decodeWith, encodeWith } from './codec-operators.ts';
