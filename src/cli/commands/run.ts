import { methodConfigSpecs } from '../../config/method-config.ts';
import { runConfigSpecs } from '../../config/run-config.ts';
import { stageConfigSpecs } from '../../stages/stage-config.ts';
import { runOneProcess, type RunResult } from '../../services/one-process-run.ts';
import { openRunPorts } from '../../services/open-ports.ts';
import { UserError } from '../../util/errors.ts';
import { listInputFiles } from '../../io/read-documents.ts';
import { outputFormatOf } from '../../io/sequence-writer.ts';
import type { Command } from '../command.ts';
import { resolveCommandConfig, flagSpecsOf } from '../command-config.ts';
import { describeFlags } from '../flags.ts';
import { Progress } from '../progress.ts';

const groups = { run: runConfigSpecs, method: methodConfigSpecs, stage: stageConfigSpecs };

export function formatSummary(r: RunResult): string {
  const s = r.summary;
  const rejected = Object.entries(r.inputRejects).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const dropped = Object.entries(s.dropped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const failed = Object.entries(s.failed).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const f = (n: number, d = 2) => n.toFixed(d);
  return [
    'summary',
    `  corpus            ${r.corpusDocuments} documents → ${r.corpusChunks} chunks indexed in ${f(r.indexSeconds, 1)} s`,
    `  documents         ${s.documentsIn} in, ${s.documentsVerified} verified, ${s.documentsAssembled} assembled; rejected at read: ${rejected}`,
    `  dropped           ${dropped}`,
    `  failed            ${failed}`,
    `  positions/doc     ${f(s.positionsPerDocument)}`,
    `  candidates/doc    ${f(s.candidatesPerDocument)}`,
    `  dependencies/doc  ${f(s.dependenciesPerDocument)} chunks (${f(s.keptPairsPerDocument)} kept position–chunk pairs)`,
    `  mean ΔI (kept)    ${f(s.meanInformationGain, 3)}`,
    `  forwarded tokens  ${s.forwardedTokens} (naive method: ${s.naiveTokens}, ${f(s.verificationSaving, 1)}× fewer)`,
    `  sequences         ${r.sequencesWritten} (${s.sequenceTokens} tokens) → ${r.outPath}`,
    `  rejects           ${r.rejectsWritten} → ${r.rejectsPath}`,
    `  speed             ${f(r.documentsPerSecond, 3)} documents/s over ${f(r.pipelineSeconds, 1)} s`,
  ].join('\n');
}

export async function runWithArgs(args: readonly string[], defaults: Record<string, string | number | boolean> = {}): Promise<RunResult> {
  const withDefaults = [...Object.entries(defaults).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${String(v)}`]), ...args];
  const { run, method, stage, positionals } = await resolveCommandConfig('run', withDefaults, groups);
  if (positionals.length > 0) throw new UserError(`run: unexpected argument '${positionals[0]}' (flags start with --)`);
  if (method.verifyWindow > method.scoringWindow) {
    throw new UserError(`run: --verify-window ${method.verifyWindow} exceeds --scoring-window ${method.scoringWindow}: the scorer would split a verification pass and the candidate could fall out of view`);
  }
  if (method.scoringStride > method.scoringWindow / 2) {
    throw new UserError(`run: --scoring-stride ${method.scoringStride} must be ≤ --scoring-window/2 (${method.scoringWindow / 2}) so every token has half a window of left context`);
  }
  if (run.input === '') throw new UserError("run: --input is required (a .jsonl/.parquet file or a folder); 'entropylong run --help' lists the flags");
  // Input, corpus and output are checked before any model is loaded.
  await listInputFiles(run.input);
  if (run.corpus !== '') await listInputFiles(run.corpus);
  outputFormatOf(run.out);
  const log = (line: string) => { if (!run.quiet) console.error(line); };
  const ports = await openRunPorts(run, method, log);
  try {
    log(`models: scorer ${ports.models.scorer.name}, embedder ${ports.models.embedder.name} (${ports.models.modelsDir})`);
    const indexing = new Progress('indexing corpus (chunks)', undefined);
    let docs: Progress | undefined;
    const result = await runOneProcess(ports, method, { ...stage, includeTokenIds: stage.includeTokenIds }, run, run.quiet ? {} : {
      onIndexProgress: (_d, chunks) => indexing.update(chunks),
      onIndexDone: (d, chunks, secs) => {
        indexing.finish(chunks, `from ${d} documents in ${secs.toFixed(1)} s`);
        docs = new Progress('documents', run.maxDocs > 0 ? run.maxDocs : undefined);
      },
      onDocumentDone: (n) => docs?.update(n),
    });
    docs?.finish(result.summary.documentsIn);
    return result;
  } finally {
    await ports.close();
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the whole method in one process on a JSONL/Parquet input',
  help: [
    'entropylong run --input <file|folder> [--corpus <file|folder>] [--out <file>] [options]',
    '',
    'Runs score → select → retrieve → verify → assemble in one process on real models (prepared',
    'on first use) and writes [shuffled verified contexts ; document] sequences with provenance.',
    'Bad records are rejected with a reason into the rejects file; the run goes on.',
    'Every option is also a key of a --config file (JSON or YAML, camelCase keys).',
    '',
    '  --config <file>  config file; flags override it',
    '',
    'Input and output:',
    describeFlags(flagSpecsOf(runConfigSpecs)),
    '',
    'Method (METHOD.md; [paper] = the paper\'s value, [ours] = this project\'s choice):',
    describeFlags(flagSpecsOf(methodConfigSpecs)),
    '',
    'Execution (batching and concurrency; they change speed, not results):',
    describeFlags(flagSpecsOf(stageConfigSpecs)),
  ].join('\n'),
  async run(args) {
    const result = await runWithArgs(args);
    console.log(formatSummary(result));
    return 0;
  },
};
