import { concat, concatMap, defer, from, mergeMap, type OperatorFunction } from 'rxjs';
import { envelope, type Envelope } from '../domain/envelope.ts';
import { dropped, ok, type Outcome } from '../domain/outcome.ts';
import type { AssembledSequence, VerifiedDocument } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import { buildAssemblyUnit } from '../algorithms/assembly-unit.ts';
import { SequencePacker, type PackedSequence, type TokenizedText } from '../algorithms/sequence-packing.ts';
import { countOutcome, failureOf, stamp } from './outcome-stage.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface AssemblePorts {
  readonly scorer: Pick<Scorer, 'tokenize' | 'detokenize'>;
}

/**
 * assemble: packs [shuffled verified contexts ; root] units of consecutive documents into
 * sequences of ≤ targetTokens tokens (METHOD.md §5, algorithms/sequence-packing.ts).
 *
 * Output: one `ok` envelope per completed sequence (key = sequenceId), emitted as soon as the
 * sequence is full, the last partial one when the input completes; a document that cannot be
 * packed gives a `dropped` envelope under its own key (`root_longer_than_target`); non-ok inputs
 * pass through. Documents are handled one at a time in arrival order, so the same input gives the
 * same sequences. Kept chunks are tokenized again here (the verify → assemble boundary carries
 * text only), with the same tokenizer the verifier used. The sequence text joins the pieces with
 * contextSeparator; a context cut at the front is rendered by detokenizing its remaining ids.
 * `tokenIds` (when includeTokenIds) are the pieces' own ids joined by the separator's ids; they
 * are the authoritative sequence (re-tokenizing the text may differ at piece boundaries).
 * Counts `assemble.sequences`, `assemble.sequence_tokens`, `assemble.contexts`,
 * `assemble.contexts_removed`, `assemble.tokens_truncated`.
 */
export function assembleStage(ports: AssemblePorts, config: PipelineConfig, context: StageContext): OperatorFunction<Envelope<Outcome<VerifiedDocument>>, Envelope<Outcome<AssembledSequence>>> {
  const { method, stage } = config;
  const count = (name: string, amount = 1): void => context.counters.add('assemble', name, amount);

  return (source) => defer(() => {
    let separator: Promise<TokenizedText> | undefined;
    const separatorText = (): Promise<TokenizedText> => {
      separator ??= ports.scorer.tokenize([method.contextSeparator]).then(([ids]) => ({ text: method.contextSeparator, tokenIds: ids ?? [] }))
        .catch((error: unknown) => {
          separator = undefined;
          throw error;
        });
      return separator;
    };
    let packer: SequencePacker | undefined;
    const packerFor = async (): Promise<SequencePacker> => {
      packer ??= new SequencePacker({ targetTokens: method.targetTokens, separator: await separatorText(), sequenceIdPrefix: stage.sequenceIdPrefix });
      return packer;
    };

    const render = async (sequences: readonly PackedSequence[]): Promise<Envelope<Outcome<AssembledSequence>>[]> => {
      const sep = await separatorText();
      const out: Envelope<Outcome<AssembledSequence>>[] = [];
      for (const s of sequences) {
        try {
          const texts = await Promise.all(s.pieces.map((p) => ((p.segment.truncatedTokens ?? 0) > 0 ? ports.scorer.detokenize(p.tokenIds) : Promise.resolve(p.text))));
          const sequence: AssembledSequence = {
            sequenceId: s.sequenceId,
            text: texts.join(sep.text),
            tokenCount: s.tokenCount,
            ...(stage.includeTokenIds ? { tokenIds: s.pieces.flatMap((p, i) => (i === 0 ? [...p.tokenIds] : [...sep.tokenIds, ...p.tokenIds])) } : {}),
            segments: s.pieces.map((p) => p.segment),
          };
          count('sequences');
          count('sequence_tokens', s.tokenCount);
          count('contexts', s.pieces.filter((p) => p.segment.kind === 'context').length);
          out.push(envelope(s.sequenceId, ok(sequence)));
        } catch (error) {
          countOutcome(context, 'assemble', failureOf(error));
          out.push(stamp('assemble', envelope(s.sequenceId, null), failureOf<AssembledSequence>(error)));
        }
      }
      return out;
    };

    const handle = async (e: Envelope<Outcome<VerifiedDocument>>): Promise<Envelope<Outcome<AssembledSequence>>[]> => {
      const started = performance.now();
      try {
        return await pack(e);
      } finally {
        context.counters.addBusy('assemble', performance.now() - started);
        context.onSettled?.(e.key);
      }
    };

    const pack = async (e: Envelope<Outcome<VerifiedDocument>>): Promise<Envelope<Outcome<AssembledSequence>>[]> => {
      if (e.value.kind !== 'ok') return [e as unknown as Envelope<Outcome<AssembledSequence>>];
      const verified = e.value.value;
      count('in');
      let result;
      try {
        const p = await packerFor();
        const texts = verified.keptChunks.map((c) => c.text);
        const ids = texts.length === 0 ? [] : await ports.scorer.tokenize(texts);
        const contextTokens = new Map(verified.keptChunks.map((c, i) => [c.chunkId, ids[i] ?? []]));
        const root = verified.selected.scored;
        const unit = buildAssemblyUnit(root.doc.id, { text: root.doc.text, tokenIds: root.tokenIds }, verified.keptChunks, verified.verifications, contextTokens, method.seed);
        result = p.add(unit);
      } catch (error) {
        const outcome = failureOf<AssembledSequence>(error);
        countOutcome(context, 'assemble', outcome);
        return [stamp('assemble', e, outcome)];
      }
      if (result.rejected) {
        const outcome = dropped<AssembledSequence>(result.rejected);
        countOutcome(context, 'assemble', outcome);
        return [stamp('assemble', e, outcome)];
      }
      count('ok');
      count('contexts_removed', result.contextsRemoved);
      count('tokens_truncated', result.tokensTruncated);
      return render(result.sequences);
    };

    return concat(
      source.pipe(concatMap((e) => from(handle(e)).pipe(mergeMap((xs) => xs)))),
      defer(() => from(packer ? render(packer.flush()) : Promise.resolve([])).pipe(mergeMap((xs) => xs))),
    );
  });
}
