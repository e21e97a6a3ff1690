import avro from 'avsc';

/**
 * Domain objects are camelCase; the Avro schemas are snake_case (the convention of the data sets
 * and of other Avro tooling). These two functions walk a value alongside its Avro type, so map
 * keys and string contents are never touched, only record field names.
 *
 * Absent optional domain fields (`undefined`) become Avro `null`; on the way back a `null` in a
 * nullable field becomes an absent key, and a field the writer's schema lacked takes the reader's
 * default (the record-field part of Avro schema resolution, which BACKWARD evolution needs).
 */

export const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const camelToSnake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Record<string, unknown>) : undefined;

/** The non-null branch of a `["null", T]` union, or undefined for any other type. */
function nullableBranch(type: avro.Type): avro.Type | undefined {
  if (type.typeName !== 'union:unwrapped') return undefined;
  const branches = (type as avro.types.UnwrappedUnionType).types;
  const others = branches.filter((t) => t.typeName !== 'null');
  return branches.length === 2 && others.length === 1 ? others[0] : undefined;
}

export function toAvro(type: avro.Type, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const branch = nullableBranch(type);
  if (branch) return toAvro(branch, value);
  switch (type.typeName) {
    case 'record': {
      const obj = asObject(value);
      if (!obj) return value;
      const out: Record<string, unknown> = {};
      for (const field of (type as avro.types.RecordType).fields) {
        const v = obj[snakeToCamel(field.name)];
        out[field.name] = v === undefined ? (field.defaultValue() as unknown) ?? null : toAvro(field.type, v);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => toAvro((type as avro.types.ArrayType).itemsType, item)) : value;
    case 'map': {
      const obj = asObject(value);
      const valuesType = (type as avro.types.MapType).valuesType as avro.Type;
      return obj ? Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, toAvro(valuesType, v)])) : value;
    }
    case 'bytes':
      return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
    default:
      return value;
  }
}

export function fromAvro(type: avro.Type, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const branch = nullableBranch(type);
  if (branch) return fromAvro(branch, value);
  switch (type.typeName) {
    case 'record': {
      const obj = asObject(value);
      if (!obj) return value;
      const out: Record<string, unknown> = {};
      for (const field of (type as avro.types.RecordType).fields) {
        const raw = field.name in obj ? obj[field.name] : (field.defaultValue() as unknown);
        const v = fromAvro(field.type, raw);
        if (v !== undefined) out[snakeToCamel(field.name)] = v;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => fromAvro((type as avro.types.ArrayType).itemsType, item)) : value;
    case 'map': {
      const obj = asObject(value);
      const valuesType = (type as avro.types.MapType).valuesType as avro.Type;
      return obj ? Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fromAvro(valuesType, v)])) : value;
    }
    default:
      return value;
  }
}
