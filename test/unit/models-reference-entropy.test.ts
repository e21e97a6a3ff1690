import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnnxScorer } from '../../src/models/runtime/onnx-scorer.ts';
import { findPreparedScorer } from '../../src/models/runtime/prepared-scorer.ts';
import { entropyFixture, sha256File } from './models-reference-fixtures.ts';

/**
 * Needs the prepared models (`entropylong models prepare`, or ENTROPYLONG_MODELS_DIR): skipped,
 * saying why, when the default scorer or its source GGUF is absent or is not the fixture's GGUF.
 */
describe('per-token entropy of the ONNX scorer vs llama.cpp on the same GGUF', () => {
  it('has mean |ΔH| ≤ 0.05 nats on every reference text', async (t) => {
    const fixture = entropyFixture();
    assert.ok(fixture, 'test/fixtures/reference/entropies.json is missing: run make_reference.py');
    const found = await findPreparedScorer();
    if ('missing' in found) return t.skip(`prepared scorer absent: ${found.missing}`);
    if (found.ggufPath === undefined) return t.skip(`scorer '${found.name}' records no source GGUF`);
    if ((await sha256File(found.ggufPath)) !== fixture.provenance.gguf_sha256) return t.skip(`prepared GGUF is not the fixture's ${fixture.provenance.gguf_file}`);
    const scorer = await OnnxScorer.open({ modelPath: found.onnxPath, tokenizerPath: found.tokenizerPath, modelId: found.name, contextLength: found.contextLength });
    try {
      const ours = await scorer.nextTokenEntropies(fixture.texts.map((x) => x.ids));
      const report: string[] = [];
      fixture.texts.forEach((ref, k) => {
        const h = ours[k] as Float32Array;
        assert.equal(h.length, ref.entropy.length);
        let sum = 0;
        let max = 0;
        ref.entropy.forEach((e, i) => {
          const d = Math.abs((h[i] as number) - e);
          sum += d;
          max = Math.max(max, d);
        });
        const mean = sum / ref.entropy.length;
        report.push(`${ref.name} (${ref.ids.length} tokens): mean |ΔH| ${mean.toFixed(4)}, max ${max.toFixed(4)}${mean <= 0.05 ? '' : ' — OVER 0.05'}`);
      });
      t.diagnostic(report.join('; '));
      assert.ok(!report.some((r) => r.includes('OVER')), report.join('\n'));
    } finally {
      await scorer.close();
    }
  });
});
