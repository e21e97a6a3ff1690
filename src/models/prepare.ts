import { mkdir } from 'node:fs/promises';
import type { PinnedWheel } from './fetch/index.ts';
import { MINILM_WHEEL, SMOLLM2_WHEEL } from './fetch/index.ts';
import { entryProblem, readManifest, writeManifest, type Manifest, type ModelEntry } from './manifest.ts';
import { DEFAULT_EMBEDDER_NAME, DEFAULT_SCORER_NAME, pipCacheDir, resolveModelsDir } from './paths.ts';
import { EMBEDDER_FORMAT, prepareDefaultEmbedder } from './prepare/embedder-bert.ts';
import { withPrepareLock } from './prepare/lock.ts';
import { modelPathsFrom, type ModelPaths } from './prepare/model-paths.ts';
import { SCORER_FORMAT, prepareDefaultScorer } from './prepare/scorer-gguf.ts';
import { clearLeftovers, type StepContext } from './prepare/staging.ts';

export type { ModelPaths, ScorerModel, EmbedderModel } from './prepare/model-paths.ts';
export { modelPathsFrom } from './prepare/model-paths.ts';

export interface EnsureModelsOptions {
  /** Default: $ENTROPYLONG_MODELS_DIR, else `.models/` in the repository root. */
  readonly modelsDir?: string;
  /** Rebuild the default models even when the manifest says they are up to date. */
  readonly force?: boolean;
  /** Progress lines (sizes, steps). Default: none. */
  readonly onProgress?: (line: string) => void;
  /** Wheel cache. Default: $ENTROPYLONG_CACHE_DIR/pip or ~/.cache/entropylong/pip. */
  readonly cacheDir?: string;
  readonly python?: string;
  /** Use these manifest entries instead of the defaults. */
  readonly scorer?: string;
  readonly embedder?: string;
}

export interface EnsureModelsResult extends ModelPaths {
  /** True when nothing had to be fetched or converted. */
  readonly upToDate: boolean;
}

interface DefaultModel {
  readonly name: string;
  readonly role: 'scorer' | 'embedder';
  readonly pin: PinnedWheel;
  readonly format: string;
  readonly prepare: (name: string, ctx: StepContext) => Promise<ModelEntry>;
}

const DEFAULT_MODELS: readonly DefaultModel[] = [
  { name: DEFAULT_SCORER_NAME, role: 'scorer', pin: SMOLLM2_WHEEL, format: SCORER_FORMAT, prepare: prepareDefaultScorer },
  { name: DEFAULT_EMBEDDER_NAME, role: 'embedder', pin: MINILM_WHEEL, format: EMBEDDER_FORMAT, prepare: prepareDefaultEmbedder },
];

/** Why a default model must be (re)built, or undefined when its manifest entry and files are current. */
function staleness(modelsDir: string, manifest: Manifest, m: DefaultModel): string | undefined {
  const entry = manifest.models[m.name];
  if (entry === undefined) return 'not prepared yet';
  if (entry.source.kind !== 'pypi' || entry.source.wheel_sha256 !== m.pin.sha256) return `the pinned wheel changed (${m.pin.package}==${m.pin.version})`;
  if (entry.format !== m.format) return `converter format ${entry.format} → ${m.format}`;
  return entryProblem(modelsDir, entry);
}

/**
 * Makes the default models ready and returns the paths a run needs. Fast when they are: the
 * manifest's wheel hashes and converter formats are compared with the pinned ones and the files'
 * sizes checked, nothing is hashed or converted. Otherwise each stale model is fetched (pinned,
 * sha256-checked), converted in a staging folder and moved into place; the manifest is written
 * last, so a model is listed only when complete. User-added models are kept as they are.
 */
export async function ensureModels(opts: EnsureModelsOptions = {}): Promise<EnsureModelsResult> {
  const modelsDir = resolveModelsDir(opts.modelsDir);
  const log = opts.onProgress ?? (() => undefined);
  const choose = { scorer: opts.scorer, embedder: opts.embedder };
  const current = await readManifest(modelsDir);
  if (opts.force !== true && DEFAULT_MODELS.every((m) => staleness(modelsDir, current, m) === undefined)) {
    return { ...modelPathsFrom(modelsDir, current, choose), upToDate: true };
  }
  await mkdir(modelsDir, { recursive: true });
  return withPrepareLock(modelsDir, async () => {
    // Another process may have prepared the models while this one waited for the lock.
    let manifest = await readManifest(modelsDir);
    await clearLeftovers(modelsDir, log);
    const ctx: StepContext = { modelsDir, cacheDir: opts.cacheDir ?? pipCacheDir(), python: opts.python, log };
    let built = 0;
    for (const [i, m] of DEFAULT_MODELS.entries()) {
      const why = opts.force === true ? 'forced' : staleness(modelsDir, manifest, m);
      if (why === undefined) {
        log(`[${i + 1}/${DEFAULT_MODELS.length}] ${m.name}: up to date`);
        continue;
      }
      log(`[${i + 1}/${DEFAULT_MODELS.length}] ${m.name} (${m.role}): preparing (${why})`);
      const entry = await m.prepare(m.name, ctx);
      manifest = {
        ...manifest,
        models: { ...manifest.models, [m.name]: entry },
        defaults: { ...manifest.defaults, [m.role]: manifest.defaults[m.role] ?? m.name },
      };
      await writeManifest(modelsDir, manifest);
      built++;
    }
    return { ...modelPathsFrom(modelsDir, manifest, choose), upToDate: built === 0 };
  }, { onWait: (pid) => log(`waiting for another 'models prepare' (pid ${pid}) to finish`) });
}
