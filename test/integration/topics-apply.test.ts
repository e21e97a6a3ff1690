import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyTopics } from '../../src/topics/apply-topics.ts';
import { describeTopics } from '../../src/kafka/topic-admin.ts';
import { cleanUp, freshPrefix, requireStack, withAdmin } from './topics-fixture.ts';

const prefix = freshPrefix('topics');
let dir = '';

before(async () => {
  await requireStack();
  dir = await mkdtemp(join(tmpdir(), 'topics-it-'));
  await cp('topics', dir, { recursive: true });
});
after(async () => {
  await cleanUp(prefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('topics apply creates every declared topic, and a second run changes nothing', async () => {
  const first = await applyTopics({ dir, prefix });
  assert.ok(first.applied);
  assert.ok(first.actions.length >= 8);
  assert.ok(first.actions.every((a) => a.kind === 'create'), first.lines.join('\n'));

  const states = await withAdmin((admin) => describeTopics(admin, first.actions.map((a) => a.spec.name)));
  const raw = states.get(`${prefix}entropylong.documents.raw`);
  assert.equal(raw?.partitions, 3);
  assert.equal(raw?.configs['retention.ms'], String(7 * 86_400_000));
  assert.equal(raw?.configs['compression.type'], 'gzip');
  assert.equal(states.get(`${prefix}entropylong.chunks`)?.configs['cleanup.policy'], 'compact');

  const second = await applyTopics({ dir, prefix });
  assert.ok(second.actions.every((a) => a.kind === 'unchanged'), second.lines.join('\n'));
  assert.ok(second.lines.every((l) => l.startsWith('= ')));
});

test('a changed file is reconciled and printed as a difference; a dry run changes nothing', async () => {
  const file = join(dir, 'documents-raw.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('retention: 7d', 'retention: 2d').replace('partitions: 3', 'partitions: 4'));
  const dry = await applyTopics({ dir, prefix, dryRun: true });
  assert.ok(!dry.applied);
  assert.ok(dry.lines.includes(`  ~ config retention.ms: ${7 * 86_400_000} → ${2 * 86_400_000}`), dry.lines.join('\n'));
  assert.ok(dry.lines.includes('  ~ partitions: 3 → 4'), dry.lines.join('\n'));

  const applied = await applyTopics({ dir, prefix });
  assert.ok(applied.lines.includes(`  ~ config retention.ms: ${7 * 86_400_000} → ${2 * 86_400_000}`));
  const again = await applyTopics({ dir, prefix });
  assert.ok(again.actions.every((a) => a.kind === 'unchanged'), again.lines.join('\n'));
});

test('asking for fewer partitions is refused and nothing else is applied', async () => {
  const raw = join(dir, 'documents-raw.yaml');
  await writeFile(raw, (await readFile(raw, 'utf8')).replace('partitions: 4', 'partitions: 1'));
  const scored = join(dir, 'documents-scored.yaml');
  await writeFile(scored, (await readFile(scored, 'utf8')).replace('retention: 3d', 'retention: 1d'));
  await assert.rejects(applyTopics({ dir, prefix }), (e: Error) => {
    assert.match(e.message, /documents-raw\.yaml: field 'partitions' asks 1 but topic '.*entropylong\.documents\.raw' has 4; Kafka cannot remove partitions/);
    assert.match(e.message, /nothing was applied/);
    return true;
  });
  const states = await withAdmin((admin) => describeTopics(admin, [`${prefix}entropylong.documents.scored`]));
  assert.equal(states.get(`${prefix}entropylong.documents.scored`)?.configs['retention.ms'], String(3 * 86_400_000));
});
