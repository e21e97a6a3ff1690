import { UserError } from '../../util/errors.ts';
import { stackEndpoints } from '../../stack/endpoints.ts';
import { consoleProgress, formatSeconds } from '../../stack/progress.ts';
import { serviceNames } from '../../stack/service.ts';
import { formatStatus, selectServices, stackDown, stackLogs, stackStatus, stackUp } from '../../stack/stack.ts';
import { describeStackOptions, parseStackConfig } from '../../stack/stack-config.ts';
import type { Command } from '../command.ts';

const help = `entropylong stack: the local Kafka, schema registry and Milvus, on 127.0.0.1, no Docker.

Usage:
  entropylong stack up     [service…]   fetch (first time, cached) and start; waits until each answers
  entropylong stack down   [service…]   stop what \`up\` started (only those pids); --purge also deletes their data
  entropylong stack status [service…]   up/down, port, pid and memory of each service (exit 1 if any is not up)
  entropylong stack logs   [service…]   the tail of each service's log (--lines <n>, default 50)

Services: ${serviceNames.join(', ')}   (all when none is named)
  kafka     Apache Kafka from Maven Central, KRaft combined mode, one node
  registry  Apicurio Registry from Maven Central; clients use <url>/apis/ccompat/v7 (in-memory: empty after down)
  milvus    Milvus Lite's gRPC server from PyPI, data under the state folder

Options (flag, or the environment variable in brackets):
${describeStackOptions()}

Clients find the services through ENTROPYLONG_KAFKA_BROKERS, ENTROPYLONG_REGISTRY_URL and
ENTROPYLONG_MILVUS_ADDRESS, or the port variables above.`;

function takeFlag(args: string[], flag: string): boolean {
  const i = args.indexOf(flag);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

function takeValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) throw new UserError(`stack: ${flag} needs a value`);
  args.splice(i, 2);
  return value;
}

export const stackCommand: Command = {
  name: 'stack',
  summary: 'start, stop and inspect the local Kafka, schema registry and Milvus',
  help,
  async run(argv) {
    const { config, rest } = parseStackConfig(argv);
    const [action, ...more] = rest;
    const args = [...more];
    const purge = takeFlag(args, '--purge');
    const linesRaw = takeValue(args, '--lines');
    const unknown = args.find((a) => a.startsWith('-'));
    if (unknown) throw new UserError(`stack: unknown option '${unknown}'; see 'entropylong stack --help'`);
    const services = selectServices(config, args);
    switch (action) {
      case 'up': {
        const started = Date.now();
        const results = await stackUp(config, services, consoleProgress);
        const endpoints = stackEndpoints({ ...process.env, ENTROPYLONG_KAFKA_PORT: String(config.kafkaPort), ENTROPYLONG_REGISTRY_PORT: String(config.registryPort), ENTROPYLONG_MILVUS_PORT: String(config.milvusPort) });
        console.log(`stack up in ${formatSeconds(Date.now() - started)}: ${results.map((r) => `${r.service} ${r.state} (pid ${r.pid}, port ${r.port})`).join(', ')}`);
        console.log(`  kafka brokers  ${endpoints.kafkaBrokers.join(',')}\n  registry url   ${endpoints.registryUrl}\n  milvus address ${endpoints.milvusAddress}`);
        return 0;
      }
      case 'down':
        await stackDown(config, services, consoleProgress, { purge });
        return 0;
      case 'status': {
        const rows = await stackStatus(services);
        console.log(formatStatus(rows));
        return rows.every((r) => r.state === 'up') ? 0 : 1;
      }
      case 'logs': {
        const lines = linesRaw === undefined ? 50 : Number(linesRaw);
        if (!Number.isInteger(lines) || lines <= 0) throw new UserError(`stack: --lines must be a positive integer (got ${JSON.stringify(linesRaw)})`);
        console.log(stackLogs(services, lines));
        return 0;
      }
      case undefined:
        console.log(help);
        return 2;
      default:
        throw new UserError(`stack: unknown action '${action}' (up, down, status, logs)`);
    }
  },
};
