import { isDeepStrictEqual } from 'node:util';
import avro from 'avsc';
import { Compatibility, type Client } from '@confluentinc/schemaregistry';
import { loadTopicSpecs } from '../topics/load-topics.ts';
import { UserError, errorMessage } from '../util/errors.ts';
import { classifyRegistryError, registryStatus } from './registry-client.ts';
import { compatibilityProblems, type CompatibilityLevel } from './schema-compatibility.ts';
import { loadSchemaFile, type SchemaFile } from './schema-files.ts';

export interface SchemaSyncOptions {
  readonly topicsDir?: string;
  readonly schemasDir?: string;
  readonly subjectPrefix?: string;
  readonly level?: CompatibilityLevel;
}

export type SubjectPlan =
  | { readonly kind: 'new'; readonly subject: string; readonly schema: SchemaFile }
  | { readonly kind: 'unchanged'; readonly subject: string; readonly schema: SchemaFile; readonly version: number }
  | { readonly kind: 'changed'; readonly subject: string; readonly schema: SchemaFile; readonly version: number }
  | { readonly kind: 'refused'; readonly subject: string; readonly schema: SchemaFile; readonly version: number; readonly problems: readonly string[] };

export interface SchemaSyncResult {
  readonly plans: readonly SubjectPlan[];
  readonly lines: readonly string[];
  readonly refused: boolean;
}

/** Each value subject declared in topics/ with its schema file, all files parsed before anything else. */
export async function declaredSubjects(options: SchemaSyncOptions): Promise<{ subject: string; schema: SchemaFile }[]> {
  const specs = await loadTopicSpecs(options.topicsDir ?? 'topics', options.subjectPrefix ?? '');
  const problems: string[] = [];
  const out: { subject: string; schema: SchemaFile }[] = [];
  for (const spec of specs) {
    try {
      out.push({ subject: spec.valueSubject, schema: await loadSchemaFile(options.schemasDir ?? 'schemas', spec.valueSchema) });
    } catch (e) {
      problems.push(`${errorMessage(e)} (named by ${spec.file}, field 'valueSchema')`);
    }
  }
  if (problems.length > 0) throw new UserError(`${problems.join('\n')}\nnothing was registered`);
  return out;
}

/**
 * Same schema, docs and defaults included, whatever the spelling: Apicurio stores the schema
 * re-serialised (key order, redundant namespaces dropped), so compare avsc's normal form.
 */
function sameSchema(registered: string, local: SchemaFile): boolean {
  try {
    const normal = (t: avro.Type): unknown => t.schema({ exportAttrs: true });
    return isDeepStrictEqual(normal(avro.Type.forSchema(JSON.parse(registered) as avro.Schema)), normal(local.type));
  } catch {
    return false;
  }
}

/**
 * Compares each declared schema with its subject's latest version. A change is refused when the
 * field-level diff finds a problem under `level`, or when the registry's own check disagrees.
 */
export async function planSchemas(client: Client, options: SchemaSyncOptions = {}): Promise<SchemaSyncResult> {
  const level = options.level ?? 'BACKWARD';
  const plans: SubjectPlan[] = [];
  for (const { subject, schema } of await declaredSubjects(options)) {
    let latest: { schema: string; version: number } | undefined;
    try {
      const meta = await client.getLatestSchemaMetadata(subject);
      latest = { schema: meta.schema, version: meta.version ?? 0 };
    } catch (e) {
      if (registryStatus(e) !== 404) throw classifyRegistryError(e, `reading subject '${subject}'`);
    }
    if (!latest) { plans.push({ kind: 'new', subject, schema }); continue; }
    if (sameSchema(latest.schema, schema)) { plans.push({ kind: 'unchanged', subject, schema, version: latest.version }); continue; }
    const previous = avro.Type.forSchema(JSON.parse(latest.schema) as avro.Schema);
    const problems = compatibilityProblems(schema.type, previous, level).map((p) => `${schema.path}: ${p}`);
    if (level !== 'NONE') {
      let registryOk: boolean;
      try {
        registryOk = await client.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: schema.text });
      } catch (e) {
        throw classifyRegistryError(e, `testing ${schema.path} against subject '${subject}'`);
      }
      if (!registryOk && problems.length === 0) problems.push(`${schema.path}: the registry reports it incompatible with version ${latest.version} of '${subject}' under its configured rule`);
    }
    plans.push(problems.length > 0 ? { kind: 'refused', subject, schema, version: latest.version, problems } : { kind: 'changed', subject, schema, version: latest.version });
  }
  return { plans, lines: plans.map(render), refused: plans.some((p) => p.kind === 'refused') };
}

function render(p: SubjectPlan): string {
  switch (p.kind) {
    case 'new': return `+ ${p.subject} (${p.schema.path}): new subject`;
    case 'unchanged': return `= ${p.subject} unchanged (version ${p.version})`;
    case 'changed': return `~ ${p.subject} (${p.schema.path}): version ${p.version} → new version`;
    case 'refused': return `! ${p.subject} refused:\n${p.problems.map((x) => `    ${x}`).join('\n')}`;
  }
}

/**
 * Plans, refuses everything when one subject is incompatible, and otherwise registers the new and
 * changed schemas and sets each subject's compatibility to `level`.
 */
export async function registerSchemas(client: Client, options: SchemaSyncOptions = {}): Promise<SchemaSyncResult> {
  const level = options.level ?? 'BACKWARD';
  const result = await planSchemas(client, options);
  if (result.refused) return result;
  const lines: string[] = [];
  for (const plan of result.plans) {
    try {
      let line = result.lines[result.plans.indexOf(plan)] ?? '';
      if (plan.kind === 'new' || plan.kind === 'changed') {
        if (plan.kind === 'changed') await ensureLevel(client, plan.subject, level);
        const id = await client.register(plan.subject, { schemaType: 'AVRO', schema: plan.schema.text }, false);
        client.clearLatestCaches();
        const version = (await client.getLatestSchemaMetadata(plan.subject)).version ?? '?';
        line = `${line.replace(/: new subject$| → new version$/, '')}${plan.kind === 'changed' ? ` → version ${version}` : ` registered as version ${version}`} (id ${id})`;
      }
      const changedLevel = await ensureLevel(client, plan.subject, level);
      lines.push(changedLevel ? `${line}; compatibility ${changedLevel}` : line);
    } catch (e) {
      throw classifyRegistryError(e, `registering ${plan.schema.path} under subject '${plan.subject}'`);
    }
  }
  return { ...result, lines };
}

/** Sets the subject's compatibility when it differs; returns 'OLD → NEW' when it changed. */
async function ensureLevel(client: Client, subject: string, level: CompatibilityLevel): Promise<string | undefined> {
  let current: string | undefined;
  try {
    current = await client.getCompatibility(subject);
  } catch (e) {
    if (registryStatus(e) !== 404) throw e;
  }
  if (current === level) return undefined;
  await client.updateCompatibility(subject, level as Compatibility);
  return `${current ?? 'default'} → ${level}`;
}
