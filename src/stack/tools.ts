import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../util/errors.ts';

/** Absolute path of `name` on PATH, or undefined. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* next */ }
  }
  return undefined;
}

const installHints: Record<string, string> = {
  mvn: 'install Apache Maven (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)',
  python3: 'install Python 3.9+ with venv (Debian/Ubuntu: apt-get install python3 python3-venv)',
  java: 'install a JDK (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)',
};

/** The tool's path, or a one-line UserError saying what to install. */
export function requireTool(name: string, neededFor: string): string {
  const path = which(name);
  if (!path) throw new UserError(`${name} not found on PATH (needed for ${neededFor}): ${installHints[name] ?? `install ${name}`}`);
  return path;
}

/** Major version of a java executable (8, 17, 21…), or undefined if it does not run. */
export function javaMajorVersion(java: string): number | undefined {
  const out = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  const m = /version "(?:1\.)?(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** python3 that can make virtualenvs (Debian splits `venv` into python3-venv). */
export function requirePythonWithVenv(): string {
  const python = requireTool('python3', 'the Milvus Lite virtualenv');
  const probe = spawnSync(python, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new UserError(`${python} cannot create virtualenvs (no venv/ensurepip module): ${installHints.python3}`);
  return python;
}
