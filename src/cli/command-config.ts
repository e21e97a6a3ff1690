import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveConfig, type FieldSpec, type Specs } from '../config/fields.ts';
import { UserError, errorMessage } from '../util/errors.ts';
import { kebab, parseFlags, type FlagSpec } from './flags.ts';

/** Flag specs derived from config field specs: one flag per key, same name in kebab-case. */
export function flagSpecsOf(...specs: Specs<unknown>[]): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = {};
  for (const group of specs) {
    for (const [key, spec] of Object.entries(group as Record<string, FieldSpec<unknown>>)) {
      const kind = typeof spec.default === 'number' ? 'number' : typeof spec.default === 'boolean' ? 'boolean' : 'string';
      out[key] = { kind, description: `${spec.description}${spec.source ? ` [${spec.source}]` : ''}`, default: spec.default as string | number | boolean };
    }
  }
  return out;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`--config '${path}' cannot be read: ${errorMessage(e)}`);
  }
  let value: unknown;
  try {
    value = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UserError(`--config '${path}' is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${errorMessage(e).split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`--config '${path}' must hold a mapping of keys to values`);
  return value as Record<string, unknown>;
}

/**
 * Resolves grouped configs from defaults < config file < flags. Keys are the camelCase config
 * keys (the same as the flags, without dashes). Every problem is reported at once, as one line
 * each, before any work starts.
 */
export async function resolveCommandConfig<G extends Record<string, Specs<unknown>>>(
  command: string,
  args: readonly string[],
  groups: G,
): Promise<{ [K in keyof G]: G[K] extends Specs<infer C> ? C : never } & { positionals: string[] }> {
  const flagSpecs: Record<string, FlagSpec> = { config: { kind: 'string', description: 'config file' }, ...flagSpecsOf(...Object.values(groups)) };
  const { flags, positionals } = parseFlags(args, flagSpecs, command);
  const file = typeof flags.config === 'string' ? await readConfigFile(flags.config) : {};
  delete flags.config;
  const owner = (key: string): string | undefined => Object.keys(groups).find((g) => key in (groups[g] as object));
  const problems: string[] = [];
  const partials: Record<string, Record<string, unknown>> = Object.fromEntries(Object.keys(groups).map((g) => [g, {}]));
  for (const [source, values] of [['config file', file], ['flags', flags]] as const) {
    for (const [key, value] of Object.entries(values)) {
      const group = owner(key);
      if (group === undefined) problems.push(`${source}: unknown key '${key}' (see 'entropylong ${command} --help')`);
      else (partials[group] as Record<string, unknown>)[key] = value;
    }
  }
  const result: Record<string, unknown> = { positionals };
  for (const [group, specs] of Object.entries(groups)) {
    const { config, problems: p } = resolveConfig(specs, partials[group] ?? {}, command);
    problems.push(...p.map((line) => line.replace(/'([a-zA-Z]+)'/, (_m, k: string) => `--${kebab(k)}`)));
    result[group] = config;
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  return result as { [K in keyof G]: G[K] extends Specs<infer C> ? C : never } & { positionals: string[] };
}
