import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/models/paths.ts). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where prepared models live: `--models-dir` if given, else $ENTROPYLONG_MODELS_DIR, else
 * `.models/` in the repository root (gitignored).
 */
export function resolveModelsDir(flag?: string): string {
  const chosen = flag ?? process.env.ENTROPYLONG_MODELS_DIR;
  return chosen !== undefined && chosen !== '' ? resolve(chosen) : join(repoRoot, '.models');
}

/** Kept between runs and between checkouts: $ENTROPYLONG_CACHE_DIR or ~/.cache/entropylong. */
export function cacheDir(): string {
  const base = process.env.ENTROPYLONG_CACHE_DIR;
  return base !== undefined && base !== '' ? resolve(base) : join(homedir(), '.cache', 'entropylong');
}

/** Downloaded wheels. */
export const pipCacheDir = (): string => join(cacheDir(), 'pip');

/** Embeddings of texts already embedded, one file per embedder model (see embedding-cache.ts). */
export const embeddingCacheDir = (): string => join(cacheDir(), 'embeddings');

export const MANIFEST_FILE = 'manifest.json';

/** Names of the default models' folders and manifest entries. */
export const DEFAULT_SCORER_NAME = 'smollm2-135m-instruct';
export const DEFAULT_EMBEDDER_NAME = 'all-minilm-l6-v2';
