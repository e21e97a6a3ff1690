import { entryProblem, readManifest, type ModelEntry } from './manifest.ts';
import { resolveModelsDir } from './paths.ts';

export interface ListedModel {
  readonly name: string;
  readonly entry: ModelEntry;
  readonly isDefault: boolean;
  /** Why the model cannot be used as it is, when it cannot. */
  readonly problem?: string;
}

export async function listModels(modelsDirFlag?: string): Promise<{ modelsDir: string; models: ListedModel[] }> {
  const modelsDir = resolveModelsDir(modelsDirFlag);
  const manifest = await readManifest(modelsDir);
  const models = Object.entries(manifest.models).map(([name, entry]) => {
    const problem = entryProblem(modelsDir, entry);
    return { name, entry, isDefault: manifest.defaults[entry.role] === name, ...(problem !== undefined ? { problem } : {}) };
  });
  return { modelsDir, models };
}

export function formatModelList(modelsDir: string, models: readonly ListedModel[]): string {
  if (models.length === 0) return `no models in ${modelsDir}; run 'entropylong models prepare'`;
  const rows = models.map((m) => {
    const e = m.entry;
    const source = e.source.kind === 'pypi' ? `${e.source.package}==${e.source.version}` : `added from ${e.source.onnx}`;
    const detail = e.role === 'embedder' ? `dim ${e.dimension}, max ${e.max_tokens} tokens` : `context ${e.context_length}`;
    return [
      `${m.isDefault ? '*' : ' '} ${m.name}`,
      e.role,
      e.architecture,
      detail,
      `${(e.onnx_bytes / 1e6).toFixed(1)} MB`,
      source,
      m.problem !== undefined ? `BROKEN: ${m.problem}` : e.created_at,
    ];
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return [`models in ${modelsDir} (* = default for its role):`, ...rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))].join('\n');
}
