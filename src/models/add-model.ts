import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.ts';
import { wrapDecoderWithEntropyHead } from './entropy-head.ts';
import { readManifest, writeManifest, type ScorerEntry } from './manifest.ts';
import { resolveModelsDir } from './paths.ts';
import { withPrepareLock } from './prepare/lock.ts';
import { smokeRun } from './prepare/smoke-check.ts';
import { buildStaged, clearLeftovers } from './prepare/staging.ts';
import { Tokenizer } from './tokenizer/index.ts';

export const USER_DECODER_FORMAT = 'user-decoder-entropy-head/1';

export interface AddDecoderOptions {
  readonly onnx: string;
  readonly tokenizer: string;
  readonly name?: string;
  readonly contextLength?: number;
  readonly setDefault?: boolean;
  readonly modelsDir?: string;
  readonly onProgress?: (line: string) => void;
}

export interface AddedDecoder {
  readonly name: string;
  readonly onnxPath: string;
  readonly contextLength: number;
  readonly isDefault: boolean;
}

const CONTEXT_KEYS = ['max_position_embeddings', 'n_positions', 'max_sequence_length', 'seq_length', 'n_ctx'];

/** config.json beside the export (optimum writes one): model_type and context length, when present. */
async function readExportConfig(onnx: string): Promise<{ architecture?: string; contextLength?: number }> {
  const path = join(dirname(onnx), 'config.json');
  if (!existsSync(path)) return {};
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const ctx = CONTEXT_KEYS.map((k) => c[k]).find((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0);
  return { ...(typeof c.model_type === 'string' ? { architecture: c.model_type } : {}), ...(ctx !== undefined ? { contextLength: ctx } : {}) };
}

const defaultName = (onnx: string): string => {
  const file = basename(onnx).replace(/\.onnx$/i, '');
  const base = ['model', 'decoder_model', 'decoder'].includes(file) ? basename(dirname(onnx)) : file;
  return base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'decoder';
};

/**
 * Adds a user's decoder export as a scorer: checks the tokenizer loads, wraps the decoder with the
 * entropy head into `<modelsDir>/<name>/model.onnx` (staged, then moved), copies the tokenizer,
 * and records the model in the manifest last.
 */
export async function addDecoderModel(opts: AddDecoderOptions): Promise<AddedDecoder> {
  const log = opts.onProgress ?? (() => undefined);
  const onnx = resolve(opts.onnx);
  const tokenizer = resolve(opts.tokenizer);
  for (const [flag, p] of [['--onnx', onnx], ['--tokenizer', tokenizer]] as const) {
    if (!existsSync(p) || !(await stat(p)).isFile()) throw new UserError(`models add: ${flag} ${p} is not a file`);
  }
  const name = opts.name ?? defaultName(onnx);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new UserError(`models add: --name '${name}' may hold only letters, digits, '.', '_' and '-'`);
  await Tokenizer.fromFile(tokenizer).catch((e: unknown) => {
    throw new UserError(`models add: --tokenizer ${tokenizer}: ${(e as Error).message}`, { cause: e });
  });
  const exported = await readExportConfig(onnx);
  const contextLength = opts.contextLength ?? exported.contextLength;
  if (contextLength === undefined) throw new UserError(`models add: --context-length is needed (no config.json with max_position_embeddings beside ${onnx})`);
  if (!Number.isInteger(contextLength) || contextLength < 2) throw new UserError(`models add: --context-length must be an integer ≥ 2, got ${contextLength}`);

  const modelsDir = resolveModelsDir(opts.modelsDir);
  await mkdir(modelsDir, { recursive: true });
  return withPrepareLock(modelsDir, async () => {
    const before = await readManifest(modelsDir);
    await clearLeftovers(modelsDir, log);
    const existing = before.models[name];
    if (existing !== undefined && existing.source.kind === 'pypi') throw new UserError(`models add: '${name}' is a prepared default model; choose another --name`);
    const onnxBytes = await buildStaged(modelsDir, name, async (staging) => {
      log(`${name}: wrapping ${onnx} with the entropy head`);
      const wrapped = await wrapDecoderWithEntropyHead(onnx, join(staging, 'model.onnx'));
      log(`${name}: inputs ${wrapped.inputs.join(', ')} → outputs ${wrapped.outputs.join(', ')}${wrapped.vocabSize !== undefined ? ` (vocab ${wrapped.vocabSize})` : ''}`);
      const probe = [0, 1, 2, 3].map((id) => id % (wrapped.vocabSize ?? 4));
      const entropy = await smokeRun(join(staging, 'model.onnx'), probe, 'entropy', [1, probe.length]);
      log(`${name}: check ok (entropy of ${probe.length} probe tokens: ${Array.from(entropy, (h) => h.toFixed(3)).join(', ')} nats)`);
      await copyFile(tokenizer, join(staging, 'tokenizer.json'));
      return (await stat(join(staging, 'model.onnx'))).size;
    });
    const entry: ScorerEntry = {
      role: 'scorer',
      source: { kind: 'user', onnx, tokenizer },
      architecture: exported.architecture ?? 'onnx-decoder',
      format: USER_DECODER_FORMAT,
      onnx: `${name}/model.onnx`,
      onnx_bytes: onnxBytes,
      tokenizer: `${name}/tokenizer.json`,
      context_length: contextLength,
      created_at: new Date().toISOString(),
    };
    const manifest = await readManifest(modelsDir);
    const isDefault = opts.setDefault === true || manifest.defaults.scorer === undefined;
    await writeManifest(modelsDir, {
      ...manifest,
      models: { ...manifest.models, [name]: entry },
      defaults: { ...manifest.defaults, ...(isDefault ? { scorer: name } : {}) },
    });
    return { name, onnxPath: join(modelsDir, entry.onnx), contextLength, isDefault };
  });
}
