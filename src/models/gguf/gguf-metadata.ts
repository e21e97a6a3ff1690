import { EntropyLongError } from '../../util/errors.ts';
import type { GgufValue } from './gguf-format.ts';

/** Typed access to GGUF metadata; a missing key or a wrong type is an error naming the key and the file. */
export class GgufMetadata {
  constructor(readonly entries: ReadonlyMap<string, GgufValue>, private readonly source = 'GGUF') {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): GgufValue | undefined {
    return this.entries.get(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  getString(key: string): string {
    const v = this.require(key);
    if (typeof v !== 'string') throw this.typeError(key, 'a string', v);
    return v;
  }

  getNumber(key: string): number {
    const v = this.require(key);
    if (typeof v === 'number') return v;
    throw this.typeError(key, 'a number', v);
  }

  getBoolean(key: string): boolean {
    const v = this.require(key);
    if (typeof v !== 'boolean') throw this.typeError(key, 'a boolean', v);
    return v;
  }

  getStringArray(key: string): string[] {
    const v = this.require(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw this.typeError(key, 'an array of strings', v);
    return v as string[];
  }

  getNumberArray(key: string): number[] {
    const v = this.require(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw this.typeError(key, 'an array of numbers', v);
    return v as number[];
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.getString(key) : undefined;
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.getNumber(key) : undefined;
  }

  private require(key: string): GgufValue {
    const v = this.entries.get(key);
    if (v === undefined) throw new EntropyLongError(`${this.source}: metadata '${key}' is missing`);
    return v;
  }

  private typeError(key: string, expected: string, v: GgufValue): EntropyLongError {
    const got = Array.isArray(v) ? `an array of ${v.length}` : typeof v;
    return new EntropyLongError(`${this.source}: metadata '${key}' should be ${expected}, found ${got}`);
  }
}
