import type { OperatorFunction } from 'rxjs';
import type { Envelope } from '../domain/envelope.ts';
import { ok, type Outcome } from '../domain/outcome.ts';
import type { RetrievedDocument, SelectedDocument } from '../domain/document.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { VectorIndex } from '../ports/vector-index.ts';
import { planCandidates, type CandidatePlan } from '../algorithms/candidate-plan.ts';
import { EntropyLongError } from '../util/errors.ts';
import { outcomeStage } from './outcome-stage.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface RetrievePorts {
  readonly embedder: Embedder;
  readonly index: VectorIndex;
}

/**
 * retrieve: embed every query window, search the top-K chunks of other documents, and plan the
 * candidates (union over positions, own chunks excluded, near duplicates collapsed; see
 * planCandidates). Query windows of a batch of documents share embedder calls of ≤
 * embedBatchSize texts; each document is one search call (its own excludeDocId). The chunk
 * vectors needed for near-duplicate collapse are read back with getByIds. Counts
 * `retrieve.candidates`, `retrieve.distinct_chunks`, `retrieve.collapsed_duplicates`,
 * `retrieve.own_document_hits`.
 */
export function retrieveStage(ports: RetrievePorts, config: PipelineConfig, context: StageContext): OperatorFunction<Envelope<Outcome<SelectedDocument>>, Envelope<Outcome<RetrievedDocument>>> {
  const { method, stage } = config;
  const collapseByCosine = method.nearDuplicateThreshold < 1;
  return outcomeStage<SelectedDocument, RetrievedDocument>('retrieve', context, {
    batchSize: stage.retrieveDocumentsPerBatch, batchWaitMs: stage.batchWaitMs, concurrency: stage.modelConcurrency,
  }, async (docs) => {
    const queries = docs.flatMap((d) => d.positions.map((p) => p.queryText));
    const vectors: Float32Array[] = [];
    for (let i = 0; i < queries.length; i += stage.embedBatchSize) {
      const batch = queries.slice(i, i + stage.embedBatchSize);
      const out = await ports.embedder.embed(batch);
      if (out.length !== batch.length) throw new EntropyLongError(`embedder ${ports.embedder.modelId} returned ${out.length} vectors for ${batch.length} queries`);
      vectors.push(...out);
    }
    let offset = 0;
    const outcomes: Outcome<RetrievedDocument>[] = [];
    const plans: CandidatePlan[] = [];
    for (const selected of docs) {
      const own = vectors.slice(offset, offset + selected.positions.length);
      offset += selected.positions.length;
      if (own.length === 0) {
        outcomes.push(ok({ selected, candidates: [] }));
        continue;
      }
      const rootDocId = selected.scored.doc.id;
      const hits = await ports.index.search(stage.collection, own, method.topK, { excludeDocId: rootDocId });
      const positionHits = selected.positions.map((p, i) => ({ position: p.position, hits: hits[i] ?? [] }));
      const chunkVectors = new Map<string, Float32Array>();
      if (collapseByCosine) {
        const ids = [...new Set(hits.flat().map((h) => h.chunkId))];
        for (const chunk of await ports.index.getByIds(stage.collection, ids)) chunkVectors.set(chunk.chunkId, chunk.vector);
      }
      plans.push(planCandidates(rootDocId, positionHits, chunkVectors, method.nearDuplicateThreshold));
      outcomes.push(ok({ selected, candidates: (plans[plans.length - 1] as CandidatePlan).candidates }));
    }
    for (const plan of plans) {
      context.counters.add('retrieve', 'candidates', plan.candidates.length);
      context.counters.add('retrieve', 'distinct_chunks', plan.distinctChunks);
      context.counters.add('retrieve', 'collapsed_duplicates', plan.collapsedDuplicates);
      context.counters.add('retrieve', 'own_document_hits', plan.ownDocumentHits);
    }
    return outcomes;
  });
}
