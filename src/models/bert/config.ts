import { UserError } from '../../util/errors.ts';

/** The fields of a Hugging Face BERT `config.json` the converter depends on. */
export interface BertConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
}

/**
 * Validates a parsed config.json. Only what this converter implements is accepted: model_type
 * "bert", absolute positions, GELU (erf) activation; anything else is refused by name.
 */
export function parseBertConfig(raw: unknown, where: string): BertConfig {
  const fail = (what: string): never => {
    throw new UserError(`${where}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('config is not a JSON object');
  const c = raw as Record<string, unknown>;
  if (c.model_type !== 'bert') fail(`model_type ${JSON.stringify(c.model_type)} is not supported (only "bert")`);
  const act = c.hidden_act ?? 'gelu';
  if (act !== 'gelu') fail(`hidden_act ${JSON.stringify(act)} is not supported (only "gelu", the erf form)`);
  const pos = c.position_embedding_type ?? 'absolute';
  if (pos !== 'absolute') fail(`position_embedding_type ${JSON.stringify(pos)} is not supported (only "absolute")`);
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return fail(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const cfg: BertConfig = {
    vocabSize: int('vocab_size'),
    hiddenSize: int('hidden_size'),
    numLayers: int('num_hidden_layers'),
    numHeads: int('num_attention_heads'),
    intermediateSize: int('intermediate_size'),
    maxPositions: int('max_position_embeddings'),
    typeVocabSize: int('type_vocab_size', 2),
    layerNormEps: typeof c.layer_norm_eps === 'number' && c.layer_norm_eps > 0 ? c.layer_norm_eps : 1e-12,
  };
  if (cfg.hiddenSize % cfg.numHeads !== 0) fail(`hidden_size ${cfg.hiddenSize} is not divisible by num_attention_heads ${cfg.numHeads}`);
  return cfg;
}
