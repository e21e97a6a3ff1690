import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { cachedDir } from '../cache.ts';
import { javaRuntime, mavenJavaHome } from '../java-runtime.ts';
import { runLogged } from '../logged-command.ts';
import { runMaven } from '../maven.ts';
import { formatBytes, formatSeconds, type Progress } from '../progress.ts';
import type { StackConfig } from '../stack-config.ts';
import type { StackService } from '../service.ts';
import { requireTool } from '../tools.ts';

const artifactPom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>entropylong.stack</groupId>
  <artifactId>registry-download</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
</project>
`;

/** Apicurio Registry with in-memory storage (H2 in memory: schemas are gone after `down`). */
export function registryService(config: StackConfig): StackService {
  const stateDir = join(config.stateDir, 'registry');
  const appDir = join(config.cacheDir, `apicurio-registry-${config.registryVersion}`);
  const logDir = join(config.stateDir, 'logs');

  const prepare = async (progress: Progress): Promise<void> => {
    mkdirSync(logDir, { recursive: true });
    const java = await javaRuntime(config, logDir, progress);
    const logPath = join(logDir, `fetch-apicurio-${config.registryVersion}.log`);
    const started = Date.now();
    const outcome = await cachedDir(appDir, async (scratch) => {
      const coordinates = `io.apicurio:apicurio-registry-app:${config.registryVersion}:tar.gz:all`;
      writeFileSync(join(scratch, 'pom.xml'), artifactPom);
      const download = join(scratch, 'download');
      const got = await runMaven(`fetching Apicurio Registry ${config.registryVersion} with Maven`, config.cacheDir, scratch, ['dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${download}`], {
        logPath,
        javaHome: mavenJavaHome(java),
        onStart: () => progress.step('registry', `fetching ${coordinates} from Maven Central (≈160 MB; Maven log: ${logPath})`),
        report: (line) => progress.step('registry', line),
      });
      const archive = readdirSync(download).find((f) => f.endsWith('.tar.gz'));
      if (!archive) throw new UserError(`registry: Maven fetched no .tar.gz into ${download}; see ${logPath}`);
      progress.step('registry', `unpacking ${archive} (${formatBytes(got.bytes)} downloaded)`);
      await runLogged(`unpacking ${archive}`, requireTool('tar', 'unpacking Apicurio'), ['-xzf', join(download, archive), '-C', scratch], { logPath });
      rmSync(download, { recursive: true, force: true });
      rmSync(join(scratch, 'pom.xml'), { force: true });
      if (!readdirSync(scratch).includes('quarkus-run.jar')) throw new UserError(`registry: no quarkus-run.jar in ${archive}; see ${logPath}`);
      progress.step('registry', `ready in ${formatSeconds(Date.now() - started)}`);
    });
    if (outcome === 'cached') progress.step('registry', `using cached Apicurio Registry ${config.registryVersion} (${appDir})`);
  };

  const launchSpec = async (progress: Progress): Promise<{ command: string; args: string[]; cwd: string }> => {
    const java = await javaRuntime(config, logDir, progress);
    const tmp = join(stateDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    return {
      command: java.java,
      args: [
        `-Xmx${config.registryHeap}`,
        '-Xms64m',
        '-XX:+UseSerialGC',
        `-Djava.io.tmpdir=${tmp}`,
        `-Dentropylong.stack=${stateDir}`,
        '-Dquarkus.http.host=127.0.0.1',
        `-Dquarkus.http.port=${config.registryPort}`,
        // The management interface (health, metrics) is fixed on at build time; keep it on loopback.
        '-Dquarkus.management.host=127.0.0.1',
        `-Dquarkus.management.port=${config.registryManagementPort}`,
        '-Dapicurio.storage.kind=sql',
        '-Dapicurio.storage.sql.kind=h2',
        '-Dapicurio.datasource.url=jdbc:h2:mem:registry',
        '-Dapicurio.datasource.jdbc.initial-size=2',
        '-Dapicurio.datasource.jdbc.min-size=2',
        '-Dapicurio.datasource.jdbc.max-size=20',
        `-Dapicurio.storage.snapshot.location=${tmp}`,
        `-Dapicurio.import.work-dir=${tmp}`,
        '-Dquarkus.http.access-log.enabled=false',
        '-jar',
        join(appDir, 'quarkus-run.jar'),
      ],
      cwd: stateDir,
    };
  };

  return {
    name: 'registry',
    title: `Apicurio Registry ${config.registryVersion} (Confluent-compatible API at /apis/ccompat/v7, in-memory)`,
    ports: [
      { port: config.registryPort, flag: '--registry-port', env: 'ENTROPYLONG_REGISTRY_PORT' },
      { port: config.registryManagementPort, flag: '--registry-management-port', env: 'ENTROPYLONG_REGISTRY_MANAGEMENT_PORT' },
    ],
    stateDir,
    logPath: join(stateDir, 'registry.log'),
    stopGraceSeconds: 20,
    prepare,
    launchSpec,
    probe: async () => {
      const res = await fetch(`http://127.0.0.1:${config.registryPort}/apis/ccompat/v7/subjects`, { signal: AbortSignal.timeout(5000) });
      return res.ok;
    },
  };
}
