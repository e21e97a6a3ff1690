import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawDocument } from '../../src/domain/index.ts';
import { loadTopicSpecs } from '../../src/topics/load-topics.ts';
import { createRegistryClient } from '../../src/serde/registry-client.ts';
import { AvroCodec } from '../../src/serde/avro-codec.ts';
import { loadCodecs, subjectsFromTopics } from '../../src/serde/codecs.ts';
import { messageKinds } from '../../src/serde/message-kinds.ts';
import { loadSchemaFile } from '../../src/serde/schema-files.ts';
import { planSchemas, registerSchemas } from '../../src/serde/schema-sync.ts';
import { cleanUp, freshPrefix, requireStack } from './topics-fixture.ts';

const prefix = freshPrefix('schemas');
const { client } = createRegistryClient();
let schemasDir = '';
const rawTopic = `${prefix}entropylong.documents.raw`;
const rawSubject = `${prefix}entropylong.documents.raw-value`;

before(async () => {
  await requireStack();
  schemasDir = await mkdtemp(join(tmpdir(), 'schemas-it-'));
  await cp('schemas', schemasDir, { recursive: true });
});
after(async () => {
  await cleanUp(prefix);
  client.close();
  if (schemasDir) await rm(schemasDir, { recursive: true, force: true });
});

test('schemas register registers every subject with BACKWARD compatibility, and a second run changes nothing', async () => {
  const first = await registerSchemas(client, { subjectPrefix: prefix });
  assert.ok(!first.refused, first.lines.join('\n'));
  assert.ok(first.plans.length >= 8);
  assert.ok(first.plans.every((p) => p.kind === 'new'), first.lines.join('\n'));
  assert.equal(await client.getCompatibility(rawSubject), 'BACKWARD');
  const second = await registerSchemas(client, { subjectPrefix: prefix });
  assert.ok(second.plans.every((p) => p.kind === 'unchanged'), second.lines.join('\n'));
});

test('a domain value makes an Avro round trip through the registry', async () => {
  const codecs = await loadCodecs(client, { subjectFor: subjectsFromTopics(await loadTopicSpecs('topics', prefix)) });
  const doc: RawDocument = { id: '<urn:uuid:1>', text: 'Entropy, measured in nats.', url: 'https://example.org', languageScore: 0.93, intScore: 3 };
  const bytes = await codecs.rawDocument.serialize(rawTopic, doc);
  assert.equal(bytes[0], 0, 'Confluent wire format: magic byte 0');
  const id = await client.getId(rawSubject, { schemaType: 'AVRO', schema: await readFile('schemas/raw-document.avsc', 'utf8') }, false);
  assert.equal(bytes.readUInt32BE(1), id, 'schema id after the magic byte');
  assert.deepEqual(await codecs.rawDocument.deserialize(rawTopic, bytes), doc);
});

test('an incompatible schema is refused with the field named, and nothing is registered', async () => {
  const file = join(schemasDir, 'raw-document.avsc');
  const schema = JSON.parse(await readFile('schemas/raw-document.avsc', 'utf8')) as { fields: object[] };
  await writeFile(file, JSON.stringify({ ...schema, fields: [...schema.fields, { name: 'source_name', type: 'string' }] }, null, 2));
  const versionsBefore = await client.getAllVersions(rawSubject);

  const result = await registerSchemas(client, { subjectPrefix: prefix, schemasDir });
  assert.ok(result.refused);
  const refused = result.plans.find((p) => p.subject === rawSubject);
  assert.equal(refused?.kind, 'refused');
  assert.ok(refused?.kind === 'refused' && refused.problems.some((p) => p.includes("field 'source_name' was added without a default")), result.lines.join('\n'));
  assert.ok(result.lines.some((l) => l.includes(`${file}: field 'source_name' was added without a default`)), result.lines.join('\n'));
  assert.equal(await client.testSubjectCompatibility(rawSubject, { schemaType: 'AVRO', schema: await readFile(file, 'utf8') }), false, 'the registry agrees');
  assert.deepEqual(await client.getAllVersions(rawSubject), versionsBefore);
});

test('a compatible change becomes a new version, and data written before it reads with the default', async () => {
  const file = join(schemasDir, 'raw-document.avsc');
  const schema = JSON.parse(await readFile('schemas/raw-document.avsc', 'utf8')) as { fields: object[] };
  await writeFile(file, JSON.stringify({ ...schema, fields: [...schema.fields, { name: 'source_name', type: 'string', default: 'fineweb' }] }, null, 2));
  const check = await planSchemas(client, { subjectPrefix: prefix, schemasDir });
  assert.equal(check.plans.find((p) => p.subject === rawSubject)?.kind, 'changed');

  const oldCodec = new AvroCodec(client, messageKinds.rawDocument, await loadSchemaFile('schemas', 'raw-document.avsc'));
  const written = await oldCodec.serialize(rawTopic, { id: 'd1', text: 'before the change' });

  const result = await registerSchemas(client, { subjectPrefix: prefix, schemasDir });
  assert.ok(!result.refused, result.lines.join('\n'));
  assert.deepEqual(await client.getAllVersions(rawSubject), [1, 2]);

  const newCodec = new AvroCodec(client, messageKinds.rawDocument, await loadSchemaFile(schemasDir, 'raw-document.avsc'));
  assert.deepEqual(await newCodec.deserialize(rawTopic, written), { id: 'd1', text: 'before the change', sourceName: 'fineweb' });
});

test('a value that does not fit the schema fails with a non-retriable error naming the field', async () => {
  const codec = new AvroCodec(client, messageKinds.rawDocument, await loadSchemaFile('schemas', 'raw-document.avsc'));
  await assert.rejects(codec.serialize(rawTopic, { id: 'd', text: 7 } as unknown as RawDocument), (e: Error & { retriable?: boolean }) => {
    assert.match(e.message, /text/);
    assert.equal(e.retriable, false);
    return true;
  });
  await assert.rejects(codec.deserialize(rawTopic, Buffer.from('not avro at all')), (e: Error & { retriable?: boolean }) => e.retriable === false);
});

test('encoding for a subject that was never registered says which command to run', async () => {
  const codec = new AvroCodec(client, messageKinds.rawDocument, await loadSchemaFile('schemas', 'raw-document.avsc'));
  await assert.rejects(codec.serialize(`${prefix}nowhere`, { id: 'd', text: 't' }), /is not registered under subject '.*nowhere-value' \(run 'entropylong schemas register'\)/);
});
