import { readManifest, entryProblem, resolveIn } from '../manifest.ts';
import { resolveModelsDir } from '../paths.ts';

export interface PreparedScorer {
  readonly name: string;
  readonly onnxPath: string;
  readonly tokenizerPath: string;
  readonly contextLength: number;
  readonly ggufPath?: string;
}

/**
 * The default (or named) scorer of the prepared models folder, or `{ missing }` saying why there is
 * none usable — for callers that can do without it (reference tests, benchmarks).
 */
export async function findPreparedScorer(options: { modelsDir?: string; name?: string } = {}): Promise<PreparedScorer | { readonly missing: string }> {
  const dir = resolveModelsDir(options.modelsDir);
  let manifest;
  try {
    manifest = await readManifest(dir);
  } catch (e) {
    return { missing: (e as Error).message };
  }
  const name = options.name ?? manifest.defaults.scorer;
  if (name === undefined) return { missing: `no scorer in ${dir} (run 'entropylong models prepare')` };
  const entry = manifest.models[name];
  if (entry === undefined || entry.role !== 'scorer') return { missing: `no scorer named '${name}' in ${dir}` };
  const problem = entryProblem(dir, entry);
  if (problem !== undefined) return { missing: `scorer '${name}': ${problem}` };
  return {
    name,
    onnxPath: resolveIn(dir, entry.onnx),
    tokenizerPath: resolveIn(dir, entry.tokenizer),
    contextLength: entry.context_length,
    ...(entry.gguf !== undefined ? { ggufPath: resolveIn(dir, entry.gguf) } : {}),
  };
}
