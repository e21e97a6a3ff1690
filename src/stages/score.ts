import type { OperatorFunction } from 'rxjs';
import type { Envelope } from '../domain/envelope.ts';
import { dropped, ok, type Outcome } from '../domain/outcome.ts';
import type { RawDocument, ScoredDocument } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import { batchByLength } from '../algorithms/batch-by-length.ts';
import { outcomeStage } from './outcome-stage.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface ScorePorts {
  readonly scorer: Scorer;
}

/**
 * score: tokenize each document and measure H(x_t | x_<t) for every token.
 * Documents are batched across messages (scoreDocumentsPerBatch / batchWaitMs), tokenized in one
 * call, and scored in length-sorted scorer calls of ≤ scoreBatchTokens padded tokens;
 * modelConcurrency batches run at once. entropies[t] = value[t − 1] of the Scorer contract and
 * entropies[0] = 0 (no prediction is made for the first token; statistics skip it).
 * Drops: `empty_document` (no text, or whitespace only), `too_few_tokens` (< 2 tokens),
 * `root_longer_than_target` (more tokens than targetTokens: it could never be assembled).
 */
export function scoreStage(ports: ScorePorts, config: PipelineConfig, context: StageContext): OperatorFunction<Envelope<Outcome<RawDocument>>, Envelope<Outcome<ScoredDocument>>> {
  const { stage, method } = config;
  return outcomeStage<RawDocument, ScoredDocument>('score', context, {
    batchSize: stage.scoreDocumentsPerBatch, batchWaitMs: stage.batchWaitMs, concurrency: stage.modelConcurrency,
  }, async (docs) => {
    const outcomes: (Outcome<ScoredDocument> | undefined)[] = docs.map((d) =>
      (typeof d.text !== 'string' || d.text.trim().length === 0 ? dropped('empty_document') : undefined));
    const toTokenize = docs.map((d, i) => ({ d, i })).filter(({ i }) => outcomes[i] === undefined);
    const tokenized = await ports.scorer.tokenize(toTokenize.map(({ d }) => d.text));
    const toScore: { i: number; tokenIds: number[] }[] = [];
    toTokenize.forEach(({ i }, j) => {
      const tokenIds = tokenized[j] ?? [];
      if (tokenIds.length < 2) outcomes[i] = dropped('too_few_tokens', `${tokenIds.length} token(s)`);
      else if (tokenIds.length > method.targetTokens) outcomes[i] = dropped('root_longer_than_target', `${tokenIds.length} tokens > targetTokens ${method.targetTokens}`);
      else toScore.push({ i, tokenIds });
    });
    for (const batch of batchByLength(toScore.map((s) => ({ length: s.tokenIds.length })), stage.scoreBatchTokens, stage.scoreDocumentsPerBatch)) {
      const members = batch.map((k) => toScore[k] as { i: number; tokenIds: number[] });
      const values = await ports.scorer.nextTokenEntropies(members.map((m) => m.tokenIds));
      members.forEach((m, k) => {
        const v = values[k];
        if (!v || v.length < m.tokenIds.length - 1) throw new Error(`scorer ${ports.scorer.modelId} returned ${v?.length ?? 0} entropies for ${m.tokenIds.length} tokens`);
        const entropies = new Array<number>(m.tokenIds.length);
        entropies[0] = 0;
        for (let t = 1; t < m.tokenIds.length; t++) entropies[t] = v[t - 1] as number;
        outcomes[m.i] = ok({ doc: docs[m.i] as RawDocument, tokenIds: m.tokenIds, entropies, model: ports.scorer.modelId });
      });
    }
    for (const o of outcomes) if (o?.kind === 'ok') context.counters.add('score', 'tokens', o.value.tokenIds.length);
    return outcomes as Outcome<ScoredDocument>[];
  });
}
