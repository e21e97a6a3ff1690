import type { OperatorFunction } from 'rxjs';
import type { Envelope } from '../domain/envelope.ts';
import { ok, type Outcome } from '../domain/outcome.ts';
import type { ScoredDocument, SelectedDocument, SelectedPosition } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import { adaptiveThreshold, entropyStatistics } from '../algorithms/entropy-stats.ts';
import { selectPositions } from '../algorithms/position-policy.ts';
import { queryWindow } from '../algorithms/query-window.ts';
import { outcomeStage } from './outcome-stage.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface SelectPorts {
  /** Only `detokenize` is used: query windows become text for the embedder. */
  readonly scorer: Pick<Scorer, 'detokenize'>;
}

/**
 * select: τ = μ + α·σ over the document's entropies (t ≥ 1), positions with H_t > τ from
 * minPosition on, capped at maxPositions (highest H kept), each with its ±queryWindow query text.
 * A document without positions stays ok (it is emitted with no contexts; counted as
 * `select.documents_without_positions`).
 */
export function selectStage(ports: SelectPorts, config: PipelineConfig, context: StageContext): OperatorFunction<Envelope<Outcome<ScoredDocument>>, Envelope<Outcome<SelectedDocument>>> {
  const { method, stage } = config;
  return outcomeStage<ScoredDocument, SelectedDocument>('select', context, {
    batchSize: 1, batchWaitMs: 0, concurrency: stage.selectConcurrency,
  }, async ([scored]) => {
    const doc = scored as ScoredDocument;
    const stats = entropyStatistics(doc.entropies);
    const threshold = adaptiveThreshold(stats, method.alpha);
    const picked = selectPositions(doc.entropies, { threshold, minPosition: method.minPosition, maxPositions: method.maxPositions });
    const positions = await Promise.all(picked.map(async ({ position, entropy }): Promise<SelectedPosition> => {
      const range = queryWindow(position, method.queryWindow, doc.tokenIds.length);
      const queryText = await ports.scorer.detokenize(doc.tokenIds.slice(range.start, range.end));
      return { position, entropy, queryTokenStart: range.start, queryTokenEnd: range.end, queryText };
    }));
    context.counters.add('select', 'positions', positions.length);
    if (positions.length === 0) context.counters.add('select', 'documents_without_positions');
    return [ok({ scored: doc, threshold, meanEntropy: stats.mean, stdEntropy: stats.std, positions })];
  });
}
