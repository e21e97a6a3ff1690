import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import avro from 'avsc';
import { UserError, errorMessage } from '../util/errors.ts';

/** An Avro schema file, parsed: its text as registered and its avsc type. */
export interface SchemaFile {
  readonly path: string;
  readonly text: string;
  readonly type: avro.Type;
}

/** Reads and parses one .avsc; a problem is one line naming the file. */
export async function loadSchemaFile(dir: string, file: string): Promise<SchemaFile> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read the schema: ${errorMessage(e)}`, { cause: e });
  }
  return parseSchemaText(path, text);
}

export function parseSchemaText(path: string, text: string): SchemaFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON: ${errorMessage(e)}`, { cause: e });
  }
  try {
    return { path, text, type: avro.Type.forSchema(json as avro.Schema) };
  } catch (e) {
    throw new UserError(`${path}: not a valid Avro schema: ${errorMessage(e)}`, { cause: e });
  }
}
