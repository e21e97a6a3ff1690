import { applyTopics } from '../../topics/apply-topics.ts';
import { UserError } from '../../util/errors.ts';
import { parseFlags, type FlagSpec } from '../flags.ts';
import type { Command } from '../command.ts';

const help = `Usage: entropylong topics apply [--dry-run] [--prefix <p>] [--dir <folder>]

Creates the Kafka topics declared in topics/*.yaml that are missing and reconciles the configs
of those that exist (retention.ms, cleanup.policy, compression.type, max.message.bytes; more
partitions when the file asks for more), printing the difference:
  + create <topic> (...)      ~ config <key>: <now> → <declared>      = <topic> unchanged
Every file is validated first: one bad file, or one refused change (fewer partitions, another
replication factor), and nothing is applied.

Options:
  --dry-run        print the difference, change nothing
  --prefix <p>     prepend <p> to every topic name and value subject (own namespace for tests, replays)
  --dir <folder>   folder of topic files (default: topics)
Brokers: ENTROPYLONG_KAFKA_BROKERS (default: the local stack, 127.0.0.1:9092).`;

const applyFlags: Record<string, FlagSpec> = {
  dryRun: { kind: 'boolean', description: 'print the difference, change nothing' },
  prefix: { kind: 'string', description: 'topic name prefix' },
  dir: { kind: 'string', description: 'folder of topic files' },
};

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'create and reconcile Kafka topics from topics/',
  help,
  async run(args) {
    const [action, ...rest] = args;
    if (action !== 'apply') throw new UserError(`topics: unknown action '${action ?? ''}'; expected 'apply' (see entropylong topics --help)`);
    const { flags, positionals } = parseFlags(rest, applyFlags, 'topics apply');
    if (positionals.length > 0) throw new UserError(`topics apply: unexpected argument '${positionals[0]}'`);
    const result = await applyTopics({ dir: (flags.dir as string | undefined) ?? 'topics', prefix: (flags.prefix as string | undefined) ?? '', dryRun: flags.dryRun === true });
    for (const line of result.lines) console.log(line);
    const changed = result.actions.filter((a) => a.kind === 'create' || a.kind === 'reconcile').length;
    console.log(result.applied ? `applied: ${changed} topic(s) changed, ${result.actions.length - changed} unchanged` : `dry run: ${changed} topic(s) would change`);
    return 0;
  },
};
