import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, copyFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopicSpecs } from '../../src/topics/load-topics.ts';
import { stageIds } from '../../src/domain/stage-ids.ts';

test('every shipped topic file is valid, names an existing schema, and every stage writes somewhere', async () => {
  const specs = await loadTopicSpecs('topics');
  assert.ok(specs.length >= 7);
  for (const s of specs) assert.ok(existsSync(join('schemas', s.valueSchema)), `${s.file}: schemas/${s.valueSchema} is missing`);
  for (const stage of stageIds) assert.ok(specs.some((s) => s.producedBy.includes(stage) && s.name !== 'entropylong.dead-letter'), `no topic produced by ${stage}`);
  assert.ok(specs.some((s) => s.name === 'entropylong.dead-letter'));
});

test('one malformed file means no spec is returned, and the error names file and field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'topics-'));
  try {
    for (const f of await readdir('topics')) await copyFile(join('topics', f), join(dir, f));
    await writeFile(join(dir, 'zz-bad.yaml'), 'name: x\npartitions: -1\n');
    await assert.rejects(loadTopicSpecs(dir), (e: Error) => {
      assert.match(e.message, /zz-bad\.yaml: field 'replication' is missing/);
      assert.match(e.message, /nothing was applied/);
      return true;
    });
    await writeFile(join(dir, 'zz-bad.yaml'), 'name: [unclosed\n');
    await assert.rejects(loadTopicSpecs(dir), /zz-bad\.yaml: not valid YAML/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a duplicate topic name and an illegal prefix are refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'topics-'));
  try {
    await copyFile('topics/documents-raw.yaml', join(dir, 'a.yaml'));
    await copyFile('topics/documents-raw.yaml', join(dir, 'b.yaml'));
    await assert.rejects(loadTopicSpecs(dir), /b\.yaml: field 'name' repeats topic 'entropylong\.documents\.raw'/);
    await assert.rejects(loadTopicSpecs(dir, 'bad prefix/'), /--prefix 'bad prefix\/' may only contain/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
