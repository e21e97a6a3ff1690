import { concatMap, lastValueFrom } from 'rxjs';
import { extname } from 'node:path';
import type { MethodConfig } from '../config/method-config.ts';
import type { StageConfig } from '../stages/stage-config.ts';
import type { RunConfig } from '../config/run-config.ts';
import type { Envelope } from '../domain/envelope.ts';
import type { RawDocument } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { VectorIndex } from '../ports/vector-index.ts';
import { readDocuments } from '../io/read-documents.ts';
import { openSequenceWriter } from '../io/sequence-writer.ts';
import { RejectWriter } from '../io/reject-writer.ts';
import { indexCorpus, type CorpusDocument } from '../corpus/indexer.ts';
import { pipeline } from '../stages/pipeline.ts';
import { pacedSource } from '../stages/paced-source.ts';
import { pacedInFlightLimit } from '../stages/stage-config.ts';
import { summarize, type PipelineSummary } from '../stages/summary.ts';
import { REASON_HEADER, STAGE_HEADER } from '../stages/stage-ids.ts';
import { errorMessage } from '../util/errors.ts';

export interface RunPorts {
  readonly scorer: Scorer;
  readonly embedder: Embedder;
  readonly index: VectorIndex;
}

export interface RunHooks {
  readonly onIndexProgress?: (documents: number, chunks: number) => void;
  readonly onIndexDone?: (documents: number, chunks: number, seconds: number) => void;
  readonly onDocumentDone?: (finished: number) => void;
}

export interface RunResult {
  readonly summary: PipelineSummary;
  readonly inputRejects: Readonly<Record<string, number>>;
  readonly corpusDocuments: number;
  readonly corpusChunks: number;
  readonly indexSeconds: number;
  readonly pipelineSeconds: number;
  readonly documentsPerSecond: number;
  readonly outPath: string;
  readonly rejectsPath: string;
  readonly rejectsWritten: number;
  readonly sequencesWritten: number;
}

export const rejectsPathFor = (run: RunConfig): string =>
  run.rejects !== '' ? run.rejects : `${run.out.slice(0, run.out.length - extname(run.out).length)}.rejects.jsonl`;

async function* corpusDocuments(path: string, maxDocumentChars: number): AsyncGenerator<CorpusDocument> {
  for await (const item of readDocuments(path, { maxDocumentChars })) {
    if (item.kind === 'document') yield { id: item.doc.id, text: item.doc.text };
  }
}

/**
 * The whole method in one process: index the corpus, stream the root documents through the
 * pipeline (score → select → retrieve → verify → assemble) and write sequences and rejects.
 * Rejected inputs and dropped/failed documents go to the rejects file with stage and reason;
 * the run goes on. The output file appears under its final name only when complete.
 */
export async function runOneProcess(ports: RunPorts, method: MethodConfig, stage: StageConfig, run: RunConfig, hooks: RunHooks = {}): Promise<RunResult> {
  const indexStart = performance.now();
  const corpusPath = run.corpus !== '' ? run.corpus : run.input;
  const indexed = await indexCorpus(corpusDocuments(corpusPath, run.maxDocumentChars), ports, {
    collection: stage.collection,
    chunkMaxChars: method.chunkMaxChars,
    embedBatchSize: stage.embedBatchSize,
    onProgress: (p) => hooks.onIndexProgress?.(p.documents, p.chunks),
  });
  const indexSeconds = (performance.now() - indexStart) / 1000;
  hooks.onIndexDone?.(indexed.documents, indexed.chunks, indexSeconds);

  const rejectsPath = rejectsPathFor(run);
  const rejects = await RejectWriter.open(rejectsPath);
  const writer = await openSequenceWriter(run.out, { withTokenIds: stage.includeTokenIds });
  const inputRejects: Record<string, number> = {};
  const pipe = pipeline(ports, { method, stage });

  let finished = 0;
  pipe.settled$.subscribe(() => {
    finished++;
    hooks.onDocumentDone?.(finished);
  });

  // Admitted documents, in input order; rejected records are written and counted on the way.
  async function* admitted(): AsyncGenerator<Envelope<RawDocument>> {
    let taken = 0;
    for await (const item of readDocuments(run.input, { maxDocumentChars: run.maxDocumentChars })) {
      if (item.kind === 'reject') {
        const r = item.reject;
        inputRejects[r.reason] = (inputRejects[r.reason] ?? 0) + 1;
        await rejects.write({ stage: 'read', reason: r.reason, detail: r.detail, file: r.location.file, record: r.location.record, ...(r.raw !== undefined ? { raw: r.raw } : {}) });
        continue;
      }
      if (run.maxDocs > 0 && taken >= run.maxDocs) return;
      taken++;
      yield { key: item.doc.id, value: item.doc, headers: { 'entropylong-source': `${item.location.file}:${item.location.record ?? ''}` } };
    }
  }
  const source = pacedSource(admitted(), pacedInFlightLimit(stage), pipe.settled$);

  const start = performance.now();
  let written = 0;
  // concatMap: each output is written before the next is taken (file order = output order).
  await lastValueFrom(
    pipe.run(source).pipe(
      concatMap(async (e) => {
        const o = e.value;
        if (o.kind === 'ok') {
          await writer.write(o.value);
          written++;
          return;
        }
        const detail = o.kind === 'dropped' ? (o.detail ?? '') : errorMessage(o.error);
        await rejects.write({
          stage: e.headers?.[STAGE_HEADER] ?? 'unknown',
          reason: o.kind === 'dropped' ? o.reason : 'failed',
          detail: detail || (e.headers?.[REASON_HEADER] ?? ''),
          docId: e.key,
        });
      }),
    ),
    { defaultValue: undefined },
  );
  const closed = await writer.close();
  const pipelineSeconds = (performance.now() - start) / 1000;
  const summary = summarize(pipe.counters);
  return {
    summary,
    inputRejects,
    corpusDocuments: indexed.documents,
    corpusChunks: indexed.chunks,
    indexSeconds,
    pipelineSeconds,
    documentsPerSecond: summary.documentsIn / Math.max(pipelineSeconds, 1e-9),
    outPath: closed.path,
    rejectsPath,
    rejectsWritten: rejects.written,
    sequencesWritten: written,
  };
}
