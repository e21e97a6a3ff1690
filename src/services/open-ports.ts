import type { RunConfig } from '../config/run-config.ts';
import type { MethodConfig } from '../config/method-config.ts';
import { ensureModels, type EnsureModelsResult } from '../models/prepare.ts';
import { OnnxScorer } from '../models/runtime/index.ts';
import { OnnxEmbedder } from '../models/embedder/index.ts';
import { CachingEmbedder } from '../models/embedder/embedding-cache.ts';
import { embeddingCacheDir } from '../models/paths.ts';
import { MemoryVectorIndex } from '../vector/memory-index.ts';
import type { VectorIndex } from '../ports/vector-index.ts';
import type { RunPorts } from './one-process-run.ts';

export interface OpenedPorts extends RunPorts {
  readonly models: EnsureModelsResult;
  close(): Promise<void>;
}

async function openIndex(kind: string): Promise<VectorIndex> {
  if (kind === 'milvus') {
    const { MilvusVectorIndex } = await import('../vector/milvus-index.ts');
    return new MilvusVectorIndex();
  }
  return new MemoryVectorIndex();
}

/**
 * Prepares the models when needed (first use), then opens scorer, embedder and index. Everything
 * opened is closed by `close`, also when a later open fails.
 */
export async function openRunPorts(run: RunConfig, method: MethodConfig, onProgress: (line: string) => void): Promise<OpenedPorts> {
  const models = await ensureModels({
    onProgress,
    ...(run.modelsDir !== '' ? { modelsDir: run.modelsDir } : {}),
    ...(run.scorerModel !== '' ? { scorer: run.scorerModel } : {}),
    ...(run.embedderModel !== '' ? { embedder: run.embedderModel } : {}),
  });
  const opened: { close(): Promise<void> }[] = [];
  try {
    const window = Math.min(method.scoringWindow, models.scorer.contextLength);
    const scorer = await OnnxScorer.open({
      modelPath: models.scorer.onnxPath,
      tokenizerPath: models.scorer.tokenizerPath,
      modelId: models.scorer.name,
      contextLength: models.scorer.contextLength,
      window,
      stride: Math.min(method.scoringStride, Math.floor(window / 2)),
      maxBatchTokens: Math.max(run.passTokens, window),
      intraOpThreads: run.threads,
      executionProvider: run.executionProvider,
    });
    opened.push(scorer);
    const embedder = await OnnxEmbedder.open({
      modelPath: models.embedder.onnxPath,
      tokenizerPath: models.embedder.tokenizerPath,
      modelId: models.embedder.name,
      dimension: models.embedder.dimension,
      maxTokens: models.embedder.maxTokens,
      intraOpThreads: run.threads,
      executionProvider: run.executionProvider,
    });
    opened.push(embedder);
    const cachedEmbedder = run.embeddingCache ? await CachingEmbedder.open(embedder, embeddingCacheDir(), models.embedder.onnxPath) : embedder;
    const index = await openIndex(run.index);
    opened.push(index);
    return {
      scorer,
      embedder: cachedEmbedder,
      index,
      models,
      close: async () => {
        for (const o of opened.reverse()) await o.close();
      },
    };
  } catch (e) {
    for (const o of opened.reverse()) await o.close().catch(() => undefined);
    throw e;
  }
}
