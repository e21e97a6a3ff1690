import type { Counters } from './counters.ts';

/** The run summary derived from the counters (per-document figures are over verified documents). */
export interface PipelineSummary {
  readonly documentsIn: number;
  readonly documentsScored: number;
  readonly documentsVerified: number;
  readonly documentsAssembled: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly failed: Readonly<Record<string, number>>;
  readonly positionsPerDocument: number;
  readonly candidatesPerDocument: number;
  readonly dependenciesPerDocument: number;
  readonly keptPairsPerDocument: number;
  readonly meanInformationGain: number;
  readonly forwardedTokens: number;
  readonly naiveTokens: number;
  /** naive ÷ forwarded tokens (0 when nothing was forwarded). */
  readonly verificationSaving: number;
  readonly sequences: number;
  readonly sequenceTokens: number;
  /** Seconds each stage spent in its batches (where the time goes; concurrent batches add up). */
  readonly stageBusySeconds: Readonly<Record<string, number>>;
}

const perDoc = (total: number, docs: number): number => (docs > 0 ? total / docs : 0);

export function summarize(counters: Counters): PipelineSummary {
  const snapshot = counters.snapshot();
  const dropped: Record<string, number> = {};
  const failed: Record<string, number> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    const [stage, name] = key.split('.', 2) as [string, string];
    if (name.startsWith('dropped_')) dropped[`${stage}.${name.slice('dropped_'.length)}`] = value;
    if (name === 'failed') failed[stage] = value;
  }
  const verified = counters.get('verify', 'in');
  const forwardedTokens = counters.get('verify', 'forwarded_tokens');
  const naiveTokens = counters.get('verify', 'naive_tokens');
  const keptPairs = counters.get('verify', 'kept_pairs');
  return {
    documentsIn: counters.get('score', 'in'),
    documentsScored: counters.get('score', 'ok'),
    documentsVerified: verified,
    documentsAssembled: counters.get('assemble', 'ok'),
    dropped,
    failed,
    positionsPerDocument: perDoc(counters.get('select', 'positions'), counters.get('select', 'ok')),
    candidatesPerDocument: perDoc(counters.get('retrieve', 'candidates'), counters.get('retrieve', 'ok')),
    dependenciesPerDocument: perDoc(counters.get('verify', 'kept_chunks'), verified),
    keptPairsPerDocument: perDoc(keptPairs, verified),
    meanInformationGain: keptPairs > 0 ? counters.get('verify', 'gain_sum_kept') / keptPairs : 0,
    forwardedTokens,
    naiveTokens,
    verificationSaving: forwardedTokens > 0 ? naiveTokens / forwardedTokens : 0,
    sequences: counters.get('assemble', 'sequences'),
    sequenceTokens: counters.get('assemble', 'sequence_tokens'),
    stageBusySeconds: Object.fromEntries(Object.entries(counters.busyMs()).map(([stage, ms]) => [stage, ms / 1000])),
  };
}
