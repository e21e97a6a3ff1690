import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, errorMessage } from '../util/errors.ts';
import { topicNamePattern, topicSpecFrom, withPrefix, type TopicSpec } from './topic-spec.ts';

/**
 * Reads every topics/*.yaml (or .yml) and validates all of them before returning any: one bad
 * file means no spec at all, so nothing is half-applied. Problems are joined one per line.
 */
export async function loadTopicSpecs(dir: string, prefix = ''): Promise<TopicSpec[]> {
  if (prefix !== '' && !/^[a-zA-Z0-9._-]+$/.test(prefix)) throw new UserError(`--prefix '${prefix}' may only contain [a-zA-Z0-9._-]`);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    throw new UserError(`cannot read the topics folder ${dir}: ${errorMessage(e)} (pass --dir <folder>)`, { cause: e });
  }
  if (names.length === 0) throw new UserError(`${dir}: no topic files (*.yaml) found`);

  const problems: string[] = [];
  const specs: TopicSpec[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(file, 'utf8'));
    } catch (e) {
      problems.push(`${file}: not valid YAML: ${errorMessage(e).split('\n')[0] ?? ''}`);
      continue;
    }
    const result = topicSpecFrom(file, doc);
    if ('problems' in result) problems.push(...result.problems);
    else specs.push(withPrefix(result.spec, prefix));
  }
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const other = seen.get(spec.name);
    if (other !== undefined) problems.push(`${spec.file}: field 'name' repeats topic '${spec.name}' already declared in ${other}`);
    seen.set(spec.name, spec.file);
    if (!topicNamePattern.test(spec.name)) problems.push(`${spec.file}: field 'name' with prefix '${prefix}' is not a legal topic name ('${spec.name}')`);
  }
  if (problems.length > 0) throw new UserError(`${problems.join('\n')}\nnothing was applied; fix the topic files above`);
  return specs;
}
