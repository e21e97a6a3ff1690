import avro from 'avsc';

/**
 * Field-level Avro compatibility, following the Avro specification's schema resolution rules,
 * so that a refusal names the field and says what changed (the registry only answers yes or no).
 *
 * BACKWARD: readers on the new schema must read data written with the old one (reader = new).
 * FORWARD: readers on the old schema must read data written with the new one (reader = old).
 * FULL: both.
 */
export type CompatibilityLevel = 'BACKWARD' | 'FORWARD' | 'FULL' | 'NONE';
export const compatibilityLevels: readonly CompatibilityLevel[] = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'];

type Direction = 'backward' | 'forward';

/** Problems of replacing `previous` by `next` under `level`, one sentence each, naming the field. */
export function compatibilityProblems(next: avro.Type, previous: avro.Type, level: CompatibilityLevel): string[] {
  const problems: string[] = [];
  if (level === 'BACKWARD' || level === 'FULL') resolve(next, previous, '', 'backward', problems);
  if (level === 'FORWARD' || level === 'FULL') resolve(previous, next, '', 'forward', problems);
  return [...new Set(problems)];
}

const isUnion = (t: avro.Type): boolean => t.typeName.startsWith('union');
const branches = (t: avro.Type): avro.Type[] => (t as avro.types.UnwrappedUnionType).types;
const isNamed = (t: avro.Type): boolean => ['record', 'error', 'enum', 'fixed'].includes(t.typeName);
const promotions: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'], long: ['float', 'double'], float: ['double'], string: ['bytes'], bytes: ['string'],
};

function describe(t: avro.Type): string {
  if (isNamed(t)) return `${t.typeName} ${t.name ?? ''}`;
  if (t.typeName === 'array') return `array<${describe((t as avro.types.ArrayType).itemsType)}>`;
  if (t.typeName === 'map') return `map<${describe((t as avro.types.MapType).valuesType as avro.Type)}>`;
  if (isUnion(t)) return branches(t).map(describe).join(' | ');
  return t.typeName;
}

/** Whether a writer's type can be read as the reader's type at all (before looking inside). */
function matches(reader: avro.Type, writer: avro.Type): boolean {
  if (reader.typeName === writer.typeName) {
    if (!isNamed(reader)) return true;
    const short = (n: string | undefined): string => (n ?? '').split('.').pop() ?? '';
    return reader.name === writer.name || (reader.aliases ?? []).some((a) => a === writer.name || short(a) === short(writer.name));
  }
  return (promotions[writer.typeName] ?? []).includes(reader.typeName);
}

const where = (path: string): string => (path === '' ? 'the top-level type' : `field '${path}'`);

function resolve(reader: avro.Type, writer: avro.Type, path: string, dir: Direction, out: string[]): void {
  const [oldT, newT] = dir === 'backward' ? [writer, reader] : [reader, writer];
  if (isUnion(writer)) {
    for (const w of branches(writer)) {
      const r = isUnion(reader) ? branches(reader).find((b) => matches(b, w)) : matches(reader, w) ? reader : undefined;
      if (r) resolve(r, w, path, dir, out);
      else out.push(`${where(path)} changed type from ${describe(oldT)} to ${describe(newT)}: ${dir === 'backward' ? `data written as ${describe(w)} can no longer be read` : `new data written as ${describe(w)} cannot be read by old readers`}`);
    }
    return;
  }
  if (isUnion(reader)) {
    const r = branches(reader).find((b) => b.typeName === writer.typeName && matches(b, writer)) ?? branches(reader).find((b) => matches(b, writer));
    if (r) resolve(r, writer, path, dir, out);
    else out.push(`${where(path)} changed type from ${describe(oldT)} to ${describe(newT)}`);
    return;
  }
  if (!matches(reader, writer)) {
    out.push(`${where(path)} changed type from ${describe(oldT)} to ${describe(newT)}`);
    return;
  }
  switch (reader.typeName) {
    case 'record':
    case 'error': {
      const writerFields = new Map((writer as avro.types.RecordType).fields.map((f) => [f.name, f]));
      for (const rf of (reader as avro.types.RecordType).fields) {
        const fieldPath = path === '' ? rf.name : `${path}.${rf.name}`;
        const wf = writerFields.get(rf.name) ?? (rf.aliases ?? []).map((a) => writerFields.get(a)).find((f) => f !== undefined);
        if (wf) resolve(rf.type, wf.type, fieldPath, dir, out);
        else if (rf.defaultValue() === undefined) out.push(`field '${fieldPath}' was ${dir === 'backward' ? 'added' : 'removed'} without a default`);
      }
      return;
    }
    case 'enum': {
      const readerSymbols = new Set((reader as avro.types.EnumType).symbols);
      const hasDefault = (reader.schema() as { default?: unknown }).default !== undefined;
      if (hasDefault) return;
      for (const s of (writer as avro.types.EnumType).symbols) {
        if (!readerSymbols.has(s)) out.push(`${where(path)} (${describe(reader)}) ${dir === 'backward' ? `lost symbol '${s}'` : `gained symbol '${s}' that old readers do not know`}`);
      }
      return;
    }
    case 'fixed':
      if ((reader as avro.types.FixedType).size !== (writer as avro.types.FixedType).size) out.push(`${where(path)} changed fixed size from ${(oldT as avro.types.FixedType).size} to ${(newT as avro.types.FixedType).size}`);
      return;
    case 'array':
      resolve((reader as avro.types.ArrayType).itemsType, (writer as avro.types.ArrayType).itemsType, `${path}[]`, dir, out);
      return;
    case 'map':
      resolve((reader as avro.types.MapType).valuesType as avro.Type, (writer as avro.types.MapType).valuesType as avro.Type, `${path}{}`, dir, out);
      return;
    default:
      return;
  }
}
