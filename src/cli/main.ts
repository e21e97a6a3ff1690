import { UserError, errorMessage } from '../util/errors.ts';
import type { Command } from './command.ts';

/** Subcommands load lazily so `entropylong stack up` never pays for ONNX or Kafka imports. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  stack: { summary: 'start, stop and inspect the local Kafka, schema registry and Milvus', load: async () => (await import('./commands/stack.ts')).stackCommand },
  topics: { summary: 'create and reconcile Kafka topics from topics/', load: async () => (await import('./commands/topics.ts')).topicsCommand },
  schemas: { summary: 'register and check the Avro schemas in schemas/', load: async () => (await import('./commands/schemas.ts')).schemasCommand },
  models: { summary: 'prepare (fetch + convert to ONNX) or add models', load: async () => (await import('./commands/models.ts')).modelsCommand },
  run: { summary: 'run the whole method in one process on a JSONL/Parquet input', load: async () => (await import('./commands/run.ts')).runCommand },
  demo: { summary: 'prepare the models and run on the shipped sample (npm start)', load: async () => (await import('./commands/demo.ts')).demoCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    'entropylong: build verified long-context training data (EntropyLong) as a streaming pipeline.',
    '',
    'Usage: entropylong <command> [options]     (entropylong <command> --help for details)',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) throw new UserError(`unknown command '${name}'; run 'entropylong --help' for the list`);
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

const isEntry = process.argv[1] !== undefined && /(?:main\.ts|entropylong(?:\.js)?)$/.test(process.argv[1]);
if (isEntry || process.env.ENTROPYLONG_CLI === '1') {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      if (e instanceof UserError) {
        console.error(`entropylong: ${e.message}`);
        process.exitCode = e.exitCode;
      } else {
        console.error(e instanceof Error ? (e.stack ?? e.message) : errorMessage(e));
        process.exitCode = 1;
      }
    },
  );
}
