import { UserError } from '../util/errors.ts';

export type FlagKind = 'string' | 'number' | 'boolean';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly description: string;
  readonly default?: string | number | boolean;
}

export type ParsedFlags = Record<string, string | number | boolean>;

export const kebab = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (kebabName: string): string => kebabName.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Parses `--name value`, `--name=value` and boolean `--name` / `--no-name` against a spec keyed by
 * camelCase name. Unknown flags, missing values and non-numbers are one-line UserErrors that name
 * the flag, raised before any work starts. Returns only the flags given (no defaults applied).
 */
export function parseFlags(args: readonly string[], specs: Readonly<Record<string, FlagSpec>>, command: string): { flags: ParsedFlags; positionals: string[] } {
  const flags: ParsedFlags = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = camel(arg.slice(2, eq === -1 ? undefined : eq));
    let negated = false;
    if (!(name in specs) && name.startsWith('no') && name.length > 2) {
      const positive = name.charAt(2).toLowerCase() + name.slice(3);
      if (specs[positive]?.kind === 'boolean') {
        name = positive;
        negated = true;
      }
    }
    const spec = specs[name];
    if (!spec) throw new UserError(`${command}: unknown flag '${arg.slice(0, eq === -1 ? undefined : eq)}'; see 'entropylong ${command} --help'`);
    if (spec.kind === 'boolean') {
      if (eq !== -1) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw new UserError(`${command}: --${kebab(name)} takes true or false, got '${v}'`);
        flags[name] = v === 'true';
      } else flags[name] = !negated;
      continue;
    }
    const raw = eq !== -1 ? arg.slice(eq + 1) : args[++i];
    if (raw === undefined || (eq === -1 && raw.startsWith('--'))) throw new UserError(`${command}: --${kebab(name)} needs a value`);
    if (spec.kind === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UserError(`${command}: --${kebab(name)} must be a number, got '${raw}'`);
      flags[name] = n;
    } else flags[name] = raw;
  }
  return { flags, positionals };
}

export function describeFlags(specs: Readonly<Record<string, FlagSpec>>): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const shown = s.default === undefined || s.default === '' ? s.kind : typeof s.default === 'string' && /[\s"]/.test(s.default) ? JSON.stringify(s.default) : String(s.default);
    const value = s.kind === 'boolean' ? '' : ` <${shown}>`;
    return [`--${kebab(name)}${value}`, s.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`).join('\n');
}
