import { UserError } from '../../util/errors.ts';
import { entryProblem, manifestPath, resolveIn, type EmbedderEntry, type Manifest, type ModelEntry, type ScorerEntry } from '../manifest.ts';

export interface ScorerModel {
  readonly name: string;
  readonly architecture: string;
  readonly onnxPath: string;
  readonly tokenizerPath: string;
  readonly contextLength: number;
  /** The source GGUF, when the model was converted from one. */
  readonly ggufPath?: string;
}

export interface EmbedderModel {
  readonly name: string;
  readonly onnxPath: string;
  readonly tokenizerPath: string;
  readonly dimension: number;
  /** Longest input in tokens, special tokens included. */
  readonly maxTokens: number;
}

/** Absolute paths of the models a run uses (the manifest's defaults unless names are given). */
export interface ModelPaths {
  readonly modelsDir: string;
  readonly manifestPath: string;
  readonly scorer: ScorerModel;
  readonly embedder: EmbedderModel;
}

/** Resolves the chosen (or default) scorer and embedder of a manifest, checking their files exist. */
export function modelPathsFrom(modelsDir: string, manifest: Manifest, choose: { scorer?: string; embedder?: string } = {}): ModelPaths {
  const where = manifestPath(modelsDir);
  const pick = (role: 'scorer' | 'embedder', name: string | undefined): ModelEntry => {
    if (name === undefined) throw new UserError(`${where}: no default ${role}; run 'entropylong models prepare'`);
    const entry = manifest.models[name];
    if (entry === undefined) throw new UserError(`${where}: no model named '${name}' (have: ${Object.keys(manifest.models).join(', ') || 'none'})`);
    if (entry.role !== role) throw new UserError(`${where}: model '${name}' has role ${entry.role}, not ${role}`);
    const problem = entryProblem(modelsDir, entry);
    if (problem !== undefined) throw new UserError(`model '${name}': ${problem}; run 'entropylong models prepare --force'`);
    return entry;
  };
  const scorerName = choose.scorer ?? manifest.defaults.scorer;
  const embedderName = choose.embedder ?? manifest.defaults.embedder;
  const s = pick('scorer', scorerName) as ScorerEntry;
  const e = pick('embedder', embedderName) as EmbedderEntry;
  return {
    modelsDir,
    manifestPath: where,
    scorer: {
      name: scorerName!,
      architecture: s.architecture,
      onnxPath: resolveIn(modelsDir, s.onnx),
      tokenizerPath: resolveIn(modelsDir, s.tokenizer),
      contextLength: s.context_length,
      ...(s.gguf !== undefined ? { ggufPath: resolveIn(modelsDir, s.gguf) } : {}),
    },
    embedder: {
      name: embedderName!,
      onnxPath: resolveIn(modelsDir, e.onnx),
      tokenizerPath: resolveIn(modelsDir, e.tokenizer),
      dimension: e.dimension,
      maxTokens: e.max_tokens,
    },
  };
}
