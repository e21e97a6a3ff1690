import { nonNegativeInt, positiveInt, type Specs, defaultsOf } from './fields.ts';

/** How a one-process run reads, writes and runs its models (not what the method computes). */
export interface RunConfig {
  readonly input: string;
  /** Retrieval pool; empty = the input itself (the paper's setting: one pool for both). */
  readonly corpus: string;
  readonly out: string;
  /** Empty = `<out without extension>.rejects.jsonl`. */
  readonly rejects: string;
  /** Root documents to process (0 = all); the corpus is indexed whole either way. */
  readonly maxDocs: number;
  readonly maxDocumentChars: number;
  readonly index: string;
  readonly modelsDir: string;
  readonly scorerModel: string;
  readonly embedderModel: string;
  readonly threads: number;
  readonly passTokens: number;
  readonly executionProvider: string;
  readonly embeddingCache: boolean;
  readonly quiet: boolean;
}

const oneOf = (...values: string[]) => (v: string): string | undefined => (values.includes(v) ? undefined : `must be one of ${values.join(', ')}`);

export const runConfigSpecs: Specs<RunConfig> = {
  input: { default: '', description: 'root documents: a .jsonl/.parquet file or a folder of them (FineWeb fields: id, text, url, …)' },
  corpus: { default: '', description: 'retrieval pool (same formats); empty = the input itself' },
  out: { default: 'out/sequences.jsonl', description: 'output file: .jsonl or .parquet, sequences with provenance' },
  rejects: { default: '', description: 'rejected and dropped documents, one JSON line each; empty = <out>.rejects.jsonl' },
  maxDocs: { default: 0, description: 'process at most this many root documents (0 = all)', check: nonNegativeInt },
  maxDocumentChars: { default: 400000, description: 'documents longer than this are rejected (document_too_long)', check: positiveInt },
  index: { default: 'memory', description: 'vector index: memory (exact, in process) or milvus (the stack\'s or ENTROPYLONG_MILVUS_ADDRESS)', check: oneOf('memory', 'milvus') },
  modelsDir: { default: '', description: 'models folder; empty = $ENTROPYLONG_MODELS_DIR or .models/' },
  scorerModel: { default: '', description: 'scorer model name in the manifest; empty = the default (SmolLM2-135M)' },
  embedderModel: { default: '', description: 'embedder model name in the manifest; empty = the default (all-MiniLM-L6-v2)' },
  threads: { default: 0, description: 'ONNX Runtime threads per model (0 = one per core)', check: nonNegativeInt },
  passTokens: { default: 4096, description: 'most padded tokens in one scorer forward pass; peak memory grows ~0.8 GB per 1,000 (the vocabulary-wide softmax)', check: positiveInt },
  executionProvider: { default: 'cpu', description: 'ONNX Runtime execution provider: cpu or cuda', check: oneOf('cpu', 'cuda') },
  embeddingCache: { default: true, description: 'remember embeddings by text in $ENTROPYLONG_CACHE_DIR/embeddings (a re-run does not embed the corpus again); --no-embedding-cache to turn off' },
  quiet: { default: false, description: 'no progress lines' },
};

export const defaultRunConfig: RunConfig = defaultsOf(runConfigSpecs);
