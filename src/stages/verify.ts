import type { OperatorFunction } from 'rxjs';
import type { Envelope } from '../domain/envelope.ts';
import { dropped, ok, type Outcome } from '../domain/outcome.ts';
import type { RetrievedDocument, VerifiedDocument } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import { batchByLength } from '../algorithms/batch-by-length.ts';
import { planEconomicalPasses, passInput, readMeasurements, type DocumentTests, type PassPlan } from '../algorithms/verification-plan.ts';
import { decideVerifications, pairKey } from '../algorithms/verification-decisions.ts';
import { outcomeStage } from './outcome-stage.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface VerifyPorts {
  readonly scorer: Scorer;
}

/**
 * verify: ΔI for every (position, candidate) pair, exactly as the naive method would measure it,
 * with one forward pass per distinct candidate (and context start) over
 * [candidate ; contextSeparator ; document up to the candidate's last position]
 * (see algorithms/verification-plan.ts). Passes of a batch of documents are pooled, sorted by
 * length and sent in scorer calls of ≤ verifyBatchSequences passes and ≤ verifyBatchTokens
 * padded tokens. Each pass holds at most min(verifyWindow, scorer.contextLength) tokens.
 * Counts `verify.pairs`, `verify.kept_pairs`, `verify.kept_chunks`, `verify.gain_sum_kept`,
 * `verify.passes`, `verify.forwarded_tokens`, `verify.naive_tokens`, `verify.unverifiable_<why>`
 * and `verify.documents_without_dependencies`.
 * Drops `too_few_dependencies` when fewer than minDependencies chunks are kept (minDependencies 0
 * keeps every document).
 */
export function verifyStage(ports: VerifyPorts, config: PipelineConfig, context: StageContext): OperatorFunction<Envelope<Outcome<RetrievedDocument>>, Envelope<Outcome<VerifiedDocument>>> {
  const { method, stage } = config;
  const maxPassTokens = Math.min(method.verifyWindow, ports.scorer.contextLength);
  let separator: Promise<number[]> | undefined;
  const separatorTokens = (): Promise<number[]> => {
    separator ??= ports.scorer.tokenize([method.contextSeparator]).then(([ids]) => ids ?? [])
        .catch((error: unknown) => {
          separator = undefined;
          throw error;
        });
    return separator;
  };
  const count = (name: string, amount = 1): void => context.counters.add('verify', name, amount);

  return outcomeStage<RetrievedDocument, VerifiedDocument>('verify', context, {
    batchSize: stage.verifyDocumentsPerBatch, batchWaitMs: stage.batchWaitMs, concurrency: stage.modelConcurrency,
  }, async (docs) => {
    const sep = await separatorTokens();
    const chunkTexts = new Map<string, string>();
    for (const d of docs) for (const c of d.candidates) chunkTexts.set(c.chunk.chunkId, c.chunk.text);
    const chunkIds = [...chunkTexts.keys()];
    const tokenized = chunkIds.length === 0 ? [] : await ports.scorer.tokenize(chunkIds.map((id) => chunkTexts.get(id) as string));
    const chunkTokens = new Map(chunkIds.map((id, i) => [id, tokenized[i] ?? []]));

    const plans: PassPlan[] = docs.map((d, i) => {
      const positions = new Map<string, number[]>();
      for (const c of d.candidates) positions.set(c.chunk.chunkId, [...(positions.get(c.chunk.chunkId) ?? []), c.position]);
      const tests: DocumentTests = {
        docKey: String(i),
        docTokens: d.selected.scored.tokenIds,
        tests: [...positions].map(([chunkId, ps]) => ({ chunkId, candidateTokens: chunkTokens.get(chunkId) ?? [], positions: ps })),
      };
      return planEconomicalPasses([tests], sep, maxPassTokens);
    });
    const passes = plans.flatMap((p) => p.passes);
    const after = docs.map(() => new Map<string, number>());
    for (const batch of batchByLength(passes, stage.verifyBatchTokens, stage.verifyBatchSequences)) {
      const members = batch.map((i) => passes[i] as (typeof passes)[number]);
      const outputs = await ports.scorer.nextTokenEntropies(members.map(passInput));
      for (const m of readMeasurements(members, outputs)) after[Number(m.docKey)]?.set(pairKey(m.chunkId, m.position), m.entropyAfter);
    }

    return docs.map((d, i): Outcome<VerifiedDocument> => {
      const plan = plans[i] as PassPlan;
      const decisions = decideVerifications(d.candidates, d.selected.scored.entropies, after[i] as Map<string, number>, method.epsilon);
      const kept = decisions.verifications.filter((v) => v.kept);
      count('pairs', decisions.verifications.length);
      count('kept_pairs', kept.length);
      count('kept_chunks', decisions.keptChunks.length);
      count('gain_sum_kept', kept.reduce((s, v) => s + v.informationGain, 0));
      count('passes', plan.passes.length);
      count('forwarded_tokens', plan.forwardedTokens);
      count('naive_tokens', plan.naiveTokens);
      for (const u of plan.unverifiable) count(`unverifiable_${u.reason}`);
      if (decisions.keptChunks.length === 0) count('documents_without_dependencies');
      if (decisions.keptChunks.length < method.minDependencies) {
        return dropped('too_few_dependencies', `${decisions.keptChunks.length} < minDependencies ${method.minDependencies}`);
      }
      return ok({
        selected: d.selected,
        keptChunks: decisions.keptChunks,
        verifications: decisions.verifications,
        forwardedTokens: plan.forwardedTokens,
        naiveTokens: plan.naiveTokens,
      });
    });
  });
}
