/**
 * `npm run bench:scorer [-- --lengths 512,2048,8192 --batches 1,4 --threads 2 --python PATH --models-dir DIR]`
 *
 * Tokens/s of per-token entropy for documents of each length at each batch size: our OnnxScorer
 * (ONNX Runtime in a worker thread) side by side with llama.cpp (llama-cpp-python, logits_all,
 * numpy entropy) on the same GGUF, the same token ids and the same thread count, in one run.
 * Each configuration runs in its own child process so peak RSS is its own. Also reports the mean
 * |ΔH| between the two on the same documents (nats).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir, loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxScorer } from '../src/models/runtime/onnx-scorer.ts';
import { findPreparedScorer, type PreparedScorer } from '../src/models/runtime/prepared-scorer.ts';
import { Tokenizer } from '../src/models/tokenizer/tokenizer.ts';

interface ChildRequest {
  readonly model: PreparedScorer;
  readonly threads: number;
  readonly docs: number[][];
}
interface ChildResult {
  readonly seconds: number;
  readonly tokens: number;
  readonly peak_rss_bytes: number;
  readonly entropies: number[][];
}

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v ?? fallback;
}
const ints = (s: string, what: string): number[] =>
  s.split(',').map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${what}: '${x}' is not a positive integer`);
    return n;
  });

/** Child mode: one configuration of our scorer; prints a ChildResult line. */
async function child(req: ChildRequest): Promise<void> {
  const longest = Math.max(...req.docs.map((d) => d.length));
  const scorer = await OnnxScorer.open({
    modelPath: req.model.onnxPath, tokenizerPath: req.model.tokenizerPath, modelId: req.model.name,
    contextLength: req.model.contextLength, window: req.model.contextLength, intraOpThreads: req.threads,
    maxBatchSize: req.docs.length, maxBatchTokens: longest * req.docs.length,
  });
  try {
    await scorer.nextTokenEntropies([(req.docs[0] ?? []).slice(0, 64)]); // warm-up, not timed
    const t0 = performance.now();
    const out = await scorer.nextTokenEntropies(req.docs);
    const seconds = (performance.now() - t0) / 1000;
    const result: ChildResult = {
      seconds, tokens: req.docs.reduce((a, d) => a + d.length, 0),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024, entropies: out.map((h) => Array.from(h)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await scorer.close();
  }
}

function runChild(cmd: string, args: string[], input: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with code ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildResult);
      } catch (e) {
        reject(new Error(`${cmd}: unreadable result (${(e as Error).message})`));
      }
    });
    p.stdin.end(input);
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return child(JSON.parse(input) as ChildRequest);
  }
  const lengths = ints(flag('lengths', '512,2048,8192'), 'lengths');
  const batches = ints(flag('batches', '1,4'), 'batches');
  const threads = ints(flag('threads', String(availableParallelism())), 'threads')[0] ?? 1;
  const python = flag('python', process.env.ENTROPYLONG_REF_PYTHON ?? join(homedir(), '.cache', 'entropylong', 'refvenv', 'bin', 'python'));
  const maxTokensPerBatch = ints(flag('max-batch-tokens', '8192'), 'max-batch-tokens')[0] ?? 8192;
  const found = await findPreparedScorer({ modelsDir: flag('models-dir', '') || undefined });
  if ('missing' in found) throw new Error(`bench:scorer needs the prepared scorer: ${found.missing}`);
  if (found.ggufPath === undefined) throw new Error(`bench:scorer: scorer '${found.name}' has no source GGUF for llama.cpp to run`);

  // Documents: the shipped sample, tokenized and cut into consecutive slices of each length.
  const tokenizer = await Tokenizer.fromFile(found.tokenizerPath);
  const sample = readFileSync(join(repo, 'sample', 'python-docs.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const stream: number[] = [];
  const need = Math.max(...lengths) * Math.max(...batches);
  for (const line of sample) {
    if (stream.length >= need) break;
    stream.push(...tokenizer.encode(`${(JSON.parse(line) as { text: string }).text}\n\n`));
  }
  const docsOf = (len: number, count: number): number[][] => Array.from({ length: count }, (_, i) => stream.slice(i * len, (i + 1) * len));

  const self = fileURLToPath(import.meta.url);
  const load0 = loadavg()[0] ?? 0;
  console.log(`bench:scorer — model ${found.name} (${found.onnxPath}); llama.cpp on ${found.ggufPath}; ${threads} threads; load average at start ${load0.toFixed(2)}`);
  const rows: string[][] = [];
  for (const len of lengths) {
    const usable = batches.filter((b) => b * len <= Math.max(maxTokensPerBatch, len));
    if (usable.length === 0) continue;
    const docs = docsOf(len, Math.max(...usable));
    const ref = await runChild(python, [join(repo, 'bench', 'llama_cpp_entropy.py')], JSON.stringify({ gguf: found.ggufPath, threads, n_ctx: len, docs }));
    const refTps = ref.tokens / ref.seconds;
    for (const b of usable) {
      const ours = await runChild(process.execPath, [...process.execArgv, self, '--child'], JSON.stringify({ model: found, threads, docs: docs.slice(0, b) } satisfies ChildRequest));
      let diff = 0;
      let n = 0;
      ours.entropies.forEach((h, d) => h.forEach((x, i) => { diff += Math.abs(x - (ref.entropies[d]?.[i] ?? NaN)); n++; }));
      const tps = ours.tokens / ours.seconds;
      rows.push([String(len), String(b), tps.toFixed(1), refTps.toFixed(1), (tps / refTps).toFixed(2), mb(ours.peak_rss_bytes), mb(ref.peak_rss_bytes), (diff / n).toFixed(4)]);
      console.log(`  ${len} tokens × ${b}: ours ${tps.toFixed(1)} tok/s, llama.cpp ${refTps.toFixed(1)} tok/s (${ref.tokens} tokens sequentially)`);
    }
  }
  const head = ['doc tokens', 'batch', 'ours tok/s', 'llama.cpp tok/s', 'ours ÷ llama.cpp', 'ours peak RSS', 'llama.cpp peak RSS', 'mean |ΔH| nats'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padStart(width[i] ?? 0)).join(' | ')} |`;
  console.log(['', line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  console.log(`load average at end ${(loadavg()[0] ?? 0).toFixed(2)} (other processes on this machine share its cores)`);
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

await main();
