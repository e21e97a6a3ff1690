import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, errorMessage } from '../../util/errors.ts';
import { cachedDir } from '../cache.ts';
import { javaRuntime, mavenJavaHome } from '../java-runtime.ts';
import { runLogged } from '../logged-command.ts';
import { runMaven } from '../maven.ts';
import { formatBytes, formatSeconds, type Progress } from '../progress.ts';
import type { StackConfig } from '../stack-config.ts';
import type { StackService } from '../service.ts';
import { kafkaLog4j2Xml, kafkaPom, kafkaServerProperties, newKafkaClusterId } from './kafka-files.ts';

export function kafkaService(config: StackConfig): StackService {
  const stateDir = join(config.stateDir, 'kafka');
  const dataDir = join(stateDir, 'data');
  const runtimeDir = join(config.cacheDir, `kafka-${config.kafkaVersion}-log4j-${config.log4jVersion}`);
  const libs = join(runtimeDir, 'libs');
  const logDir = join(config.stateDir, 'logs');
  const propertiesPath = join(stateDir, 'server.properties');
  const formattedWith = join(stateDir, 'formatted-with.json');
  const classpath = `${libs}/*`;

  const prepare = async (progress: Progress): Promise<void> => {
    mkdirSync(logDir, { recursive: true });
    const java = await javaRuntime(config, logDir, progress);
    const logPath = join(logDir, `fetch-kafka-${config.kafkaVersion}.log`);
    const started = Date.now();
    const outcome = await cachedDir(runtimeDir, async (scratch) => {
      writeFileSync(join(scratch, 'pom.xml'), kafkaPom({ kafka: config.kafkaVersion, log4j: config.log4jVersion, slf4j: config.slf4jVersion }));
      const got = await runMaven(`fetching Kafka ${config.kafkaVersion} with Maven`, config.cacheDir, scratch, ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(scratch, 'libs')}`], {
        logPath,
        javaHome: mavenJavaHome(java),
        onStart: () => progress.step('kafka', `fetching org.apache.kafka:kafka_2.13:${config.kafkaVersion} + log4j2 ${config.log4jVersion} and their dependencies from Maven Central (≈45 MB; Maven log: ${logPath})`),
        report: (line) => progress.step('kafka', line),
      });
      const jars = readdirSync(join(scratch, 'libs'));
      const size = jars.reduce((n, j) => n + statSync(join(scratch, 'libs', j)).size, 0);
      progress.step('kafka', `fetched ${jars.length} jars (${formatBytes(size)}; ${formatBytes(got.bytes)} downloaded) in ${formatSeconds(Date.now() - started)}`);
    });
    if (outcome === 'cached') progress.step('kafka', `using cached Kafka ${config.kafkaVersion} (${runtimeDir})`);
  };

  const launchSpec = async (progress: Progress): Promise<{ command: string; args: string[]; cwd: string }> => {
    const java = await javaRuntime(config, logDir, progress);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(propertiesPath, kafkaServerProperties({ port: config.kafkaPort, controllerPort: config.kafkaControllerPort, dataDir }));
    writeFileSync(join(stateDir, 'log4j2.xml'), kafkaLog4j2Xml);
    const log4j = `-Dlog4j2.configurationFile=${join(stateDir, 'log4j2.xml')}`;
    if (existsSync(join(dataDir, 'meta.properties'))) {
      const previous = readFormattedWith(formattedWith);
      if (previous !== undefined && previous !== config.kafkaControllerPort) {
        throw new UserError(`kafka: ${dataDir} was formatted for controller port ${previous}, not ${config.kafkaControllerPort}; use --kafka-controller-port ${previous} or run \`entropylong stack down --purge kafka\` to start empty`);
      }
    } else {
      const clusterId = newKafkaClusterId();
      progress.step('kafka', `formatting KRaft storage in ${dataDir} (cluster ${clusterId})`);
      await runLogged('kafka storage format', java.java, ['-cp', classpath, log4j, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesPath, '--standalone'], { logPath: join(stateDir, 'kafka.log'), cwd: stateDir });
      writeFileSync(formattedWith, `${JSON.stringify({ controllerPort: config.kafkaControllerPort, clusterId })}\n`);
    }
    return {
      command: java.java,
      args: [`-Xmx${config.kafkaHeap}`, '-Xms64m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', log4j, `-Dkafka.logs.dir=${stateDir}`, '-cp', classpath, 'kafka.Kafka', propertiesPath],
      cwd: stateDir,
    };
  };

  return {
    name: 'kafka',
    title: `Apache Kafka ${config.kafkaVersion} (KRaft, one node)`,
    ports: [
      { port: config.kafkaPort, flag: '--kafka-port', env: 'ENTROPYLONG_KAFKA_PORT' },
      { port: config.kafkaControllerPort, flag: '--kafka-controller-port', env: 'ENTROPYLONG_KAFKA_CONTROLLER_PORT' },
    ],
    stateDir,
    logPath: join(stateDir, 'kafka.log'),
    stopGraceSeconds: 30,
    prepare,
    launchSpec,
    probe: () => kafkaAnswers(config.kafkaPort),
    warmUp: (progress) => warmUpKafka(config.kafkaPort, progress),
  };
}

function readFormattedWith(path: string): number | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { controllerPort?: unknown };
    return typeof parsed.controllerPort === 'number' ? parsed.controllerPort : undefined;
  } catch {
    return undefined;
  }
}

async function kafkaAnswers(port: number): Promise<boolean> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 5000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Creates the offsets and transaction-state topics now (a transactional producer's first
 * InitProducerId and a group's first FindCoordinator), so the first test does not wait for them
 * and `up` proves transactions are usable.
 */
async function warmUpKafka(port: number, progress: Progress): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'entropylong-stack', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 300 } });
  const started = Date.now();
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: 'entropylong-stack-warm-up', idempotent: true, maxInFlightRequests: 1 });
  try {
    await untilReady('the consumer-group coordinator', () => admin.connect().then(() => admin.fetchOffsets({ groupId: 'entropylong-stack-warm-up' })));
    await untilReady('the transaction coordinator', async () => {
      await producer.connect();
      const tx = await producer.transaction();
      await tx.abort();
    });
    progress.step('kafka', `consumer groups and transactions ready (${formatSeconds(Date.now() - started)})`);
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Retries `op` while the broker is still electing/loading its coordinators (kafkajs marks those errors retriable). */
async function untilReady(what: string, op: () => Promise<unknown>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await op();
      return;
    } catch (e) {
      const retriable = (e as { retriable?: unknown }).retriable === true || /coordinator|leader|loading/i.test(errorMessage(e));
      if (!retriable || Date.now() > deadline) throw new UserError(`kafka: ${what} is not usable: ${errorMessage(e)}`, { cause: e });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
