import { parseDuration, parseSize } from './quantities.ts';
import { stageIds } from '../domain/stage-ids.ts';

/** Who writes or reads a topic besides the stages: outside producers/consumers, the corpus indexer. */
export const topicParties = [...stageIds, 'external', 'index'] as const;

export const cleanupPolicies = ['delete', 'compact', 'compact,delete'] as const;
export const compressions = ['producer', 'none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** A topic as declared in topics/<file>.yaml, with quantities resolved to Kafka's units. */
export interface TopicSpec {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly producedBy: readonly string[];
  readonly consumedBy: readonly string[];
  readonly partitions: number;
  readonly replication: number;
  /** retention.ms; -1 keeps forever. */
  readonly retentionMs: number;
  readonly cleanupPolicy: (typeof cleanupPolicies)[number];
  readonly compression: (typeof compressions)[number];
  /** max.message.bytes */
  readonly maxMessageBytes: number;
  /** Registry subject of the value schema. */
  readonly valueSubject: string;
  /** File name of the value's Avro schema inside the schemas folder. */
  readonly valueSchema: string;
}

const knownKeys = ['name', 'description', 'producedBy', 'consumedBy', 'partitions', 'replication', 'retention', 'cleanupPolicy', 'compression', 'maxMessageSize', 'valueSubject', 'valueSchema'] as const;
const required = ['name', 'partitions', 'replication', 'retention', 'cleanupPolicy', 'compression', 'maxMessageSize', 'valueSubject', 'valueSchema'] as const;

/** Kafka's legal topic names: [a-zA-Z0-9._-], at most 249 characters. */
export const topicNamePattern = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Validates one parsed topic file. Returns the spec, or the problems found, each a line that names
 * the file and the field and says what is expected.
 */
export function topicSpecFrom(file: string, doc: unknown): { spec: TopicSpec } | { problems: string[] } {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { problems: [`${file}: expected a mapping of topic fields (${required.join(', ')})`] };
  const raw = doc as Record<string, unknown>;
  const problems: string[] = [];
  const bad = (field: string, what: string): void => { problems.push(`${file}: field '${field}' ${what}`); };
  for (const key of Object.keys(raw)) if (!(knownKeys as readonly string[]).includes(key)) bad(key, `is unknown (known fields: ${knownKeys.join(', ')})`);
  for (const key of required) if (raw[key] === undefined || raw[key] === null) bad(key, 'is missing');
  if (problems.length > 0) return { problems };

  const str = (key: string): string => {
    const v = raw[key];
    if (typeof v !== 'string' || v.trim() === '') { bad(key, `must be a non-empty string (got ${JSON.stringify(v)})`); return ''; }
    return v.trim();
  };
  const int = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) { bad(key, `must be a positive integer (got ${JSON.stringify(v)})`); return 0; }
    return v;
  };
  const parties = (key: string): string[] => {
    const v = raw[key] ?? [];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || !(topicParties as readonly string[]).includes(p))) {
      bad(key, `must be a list of ${topicParties.join(' | ')} (got ${JSON.stringify(v)})`);
      return [];
    }
    return list as string[];
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T => {
    const v = raw[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) { bad(key, `must be one of ${allowed.join(' | ')} (got ${JSON.stringify(v)})`); return allowed[0] as T; }
    return v as T;
  };

  const name = str('name');
  if (name !== '' && !topicNamePattern.test(name)) bad('name', `must be 1-249 characters of [a-zA-Z0-9._-] (got '${name}')`);
  const retention = parseDuration(raw.retention);
  if ('problem' in retention) bad('retention', retention.problem);
  const size = parseSize(raw.maxMessageSize);
  if ('problem' in size) bad('maxMessageSize', size.problem);
  const valueSchema = str('valueSchema');
  if (valueSchema !== '' && !/^[\w.-]+\.avsc$/.test(valueSchema)) bad('valueSchema', `must be the file name of an .avsc in the schemas folder (got '${valueSchema}')`);
  const description = raw.description === undefined ? '' : typeof raw.description === 'string' ? raw.description.trim() : (bad('description', 'must be a string'), '');

  const spec: TopicSpec = {
    file,
    name,
    description,
    producedBy: parties('producedBy'),
    consumedBy: parties('consumedBy'),
    partitions: int('partitions'),
    replication: int('replication'),
    retentionMs: 'value' in retention ? retention.value : 0,
    cleanupPolicy: oneOf('cleanupPolicy', cleanupPolicies),
    compression: oneOf('compression', compressions),
    maxMessageBytes: 'value' in size ? size.value : 0,
    valueSubject: str('valueSubject'),
    valueSchema,
  };
  return problems.length > 0 ? { problems } : { spec };
}

/** The spec under a namespace prefix: topic name and subject both get it, so replays never collide. */
export function withPrefix(spec: TopicSpec, prefix: string): TopicSpec {
  return prefix === '' ? spec : { ...spec, name: `${prefix}${spec.name}`, valueSubject: `${prefix}${spec.valueSubject}` };
}
