import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachingEmbedder } from '../../src/models/embedder/embedding-cache.ts';
import type { Embedder } from '../../src/ports/embedder.ts';

/** TEST FAKE: a deterministic 3-dimensional embedder that counts what it was asked to embed. */
class CountingEmbedder implements Embedder {
  readonly modelId = 'counting';
  readonly dimension = 3;
  embedded: string[] = [];
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    return texts.map((t) => Float32Array.from([t.length, t.charCodeAt(0) || 0, 0.5]));
  }
  async close(): Promise<void> {}
}

test('embeds each distinct text once, across instances, and survives a torn last record', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'el-embcache-'));
  const model = join(dir, 'model.onnx');
  await writeFile(model, 'x');
  const inner = new CountingEmbedder();
  const first = await CachingEmbedder.open(inner, dir, model);
  const a = await first.embed(['alpha', 'beta', 'alpha']);
  assert.deepEqual(inner.embedded, ['alpha', 'beta']);
  assert.deepEqual([...(a[2] as Float32Array)], [5, 97, 0.5]);

  const [file] = (await import('node:fs')).readdirSync(dir).filter((f) => f.endsWith('.bin'));
  await appendFile(join(dir, file as string), Buffer.from([1, 2, 3]));
  const inner2 = new CountingEmbedder();
  const second = await CachingEmbedder.open(inner2, dir, model);
  const b = await second.embed(['beta', 'gamma']);
  assert.deepEqual(inner2.embedded, ['gamma'], 'beta came from the file');
  assert.deepEqual([...(b[0] as Float32Array)], [4, 98, 0.5]);
  assert.equal(second.hits, 1);

  const inner3 = new CountingEmbedder();
  const third = await CachingEmbedder.open(inner3, dir, model);
  await third.embed(['alpha', 'beta', 'gamma']);
  assert.deepEqual(inner3.embedded, [], 'records appended after the torn one are read back aligned');
});
