import { test } from 'node:test';
import assert from 'node:assert/strict';
import { managedConfigs, planTopics, renderPlan, type TopicState } from '../../src/topics/topic-plan.ts';
import type { TopicSpec } from '../../src/topics/topic-spec.ts';

const spec: TopicSpec = {
  file: 'topics/raw.yaml', name: 'raw', description: '', producedBy: [], consumedBy: [], partitions: 3, replication: 1,
  retentionMs: 604_800_000, cleanupPolicy: 'delete', compression: 'gzip', maxMessageBytes: 8_388_608, valueSubject: 'raw-value', valueSchema: 'raw-document.avsc',
};
const state = (over: Partial<TopicState> = {}): TopicState => ({ name: 'raw', partitions: 3, replication: 1, configs: managedConfigs(spec), ...over });

test('a missing topic is created', () => {
  const [a] = planTopics([spec], new Map());
  assert.equal(a?.kind, 'create');
  assert.match(renderPlan([a!])[0] ?? '', /^\+ create raw \(partitions 3, replication 1, cleanup\.policy=delete/);
});

test('an identical topic is unchanged', () => {
  const actions = planTopics([spec], new Map([['raw', state()]]));
  assert.deepEqual(renderPlan(actions), ['= raw unchanged']);
});

test('a config difference is reconciled and printed as from → to', () => {
  const actions = planTopics([spec], new Map([['raw', state({ configs: { ...managedConfigs(spec), 'retention.ms': '86400000' } })]]));
  assert.deepEqual(renderPlan(actions), ['~ raw', '  ~ config retention.ms: 86400000 → 604800000']);
});

test('more partitions are added', () => {
  const actions = planTopics([spec], new Map([['raw', state({ partitions: 2 })]]));
  assert.deepEqual(renderPlan(actions), ['~ raw', '  ~ partitions: 2 → 3']);
});

test('fewer partitions are refused with the file and field named', () => {
  const [a] = planTopics([spec], new Map([['raw', state({ partitions: 6 })]]));
  assert.equal(a?.kind, 'refused');
  assert.match(renderPlan([a!])[0] ?? '', /topics\/raw\.yaml: field 'partitions' asks 3 but topic 'raw' has 6; Kafka cannot remove partitions/);
});

test('another replication factor is refused', () => {
  const [a] = planTopics([spec], new Map([['raw', state({ replication: 3 })]]));
  assert.equal(a?.kind, 'refused');
});
