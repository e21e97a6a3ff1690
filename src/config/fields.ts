/**
 * A configuration field declared next to its default and description (as Benthos components do):
 * the same declaration drives defaults, validation, `--help` and config-file keys.
 */
export interface FieldSpec<T> {
  readonly default: T;
  readonly description: string;
  /** Where the default comes from: the paper, or this project's choice. */
  readonly source?: 'paper' | 'ours';
  readonly check?: (value: T) => string | undefined;
}

export type Specs<C> = { readonly [K in keyof C]: FieldSpec<C[K]> };

export const positive = (v: number): string | undefined => (Number.isFinite(v) && v > 0 ? undefined : 'must be > 0');
export const nonNegative = (v: number): string | undefined => (Number.isFinite(v) && v >= 0 ? undefined : 'must be ≥ 0');
export const positiveInt = (v: number): string | undefined => (Number.isInteger(v) && v > 0 ? undefined : 'must be a positive integer');
export const nonNegativeInt = (v: number): string | undefined => (Number.isInteger(v) && v >= 0 ? undefined : 'must be an integer ≥ 0');
export const unitInterval = (v: number): string | undefined => (Number.isFinite(v) && v >= 0 && v < 1 ? undefined : 'must be in [0, 1)');

export function defaultsOf<C>(specs: Specs<C>): C {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(specs) as [string, FieldSpec<unknown>][]) out[k] = spec.default;
  return out as C;
}

/** Merges a partial config over the defaults; returns the list of problems, each naming its key. */
export function resolveConfig<C>(specs: Specs<C>, partial: Readonly<Record<string, unknown>>, where = 'config'): { config: C; problems: string[] } {
  const config = defaultsOf(specs) as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    const spec = (specs as Record<string, FieldSpec<unknown> | undefined>)[key];
    if (!spec) {
      problems.push(`${where}: unknown key '${key}' (known: ${Object.keys(specs).join(', ')})`);
      continue;
    }
    if (typeof value !== typeof spec.default) {
      problems.push(`${where}: '${key}' must be a ${typeof spec.default}, got ${JSON.stringify(value)}`);
      continue;
    }
    const problem = spec.check?.(value);
    if (problem) problems.push(`${where}: '${key}' ${problem} (got ${JSON.stringify(value)})`);
    else config[key] = value;
  }
  return { config: config as C, problems };
}

/** Renders fields for `--help`: `--flag-name <default>  description [paper]`. */
export function describeFields<C>(specs: Specs<C>): string {
  const rows = (Object.entries(specs) as [string, FieldSpec<unknown>][]).map(([k, s]) => {
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <${String(s.default)}>`;
    return [flag, `${s.description}${s.source ? ` [${s.source}]` : ''}`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`).join('\n');
}
