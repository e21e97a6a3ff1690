import { createRegistryClient, registryUnreachable, registryStatus } from '../../serde/registry-client.ts';
import { compatibilityLevels, type CompatibilityLevel } from '../../serde/schema-compatibility.ts';
import { planSchemas, registerSchemas } from '../../serde/schema-sync.ts';
import { UserError, errorMessage } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { parseFlags, type FlagSpec } from '../flags.ts';

const help = `Usage: entropylong schemas register|check [--dir <schemas>] [--topics-dir <topics>] [--subject-prefix <p>] [--compatibility <level>]

Each topic file in topics/ names its value subject and its schema file in schemas/.
  check      compares every schema with its subject's latest version and reports, per field,
             what would break readers (exit 1 when a change is incompatible); changes nothing
  register   the same check, then, when every subject passes, registers the new and changed
             schemas and sets each subject's compatibility (BACKWARD by default); one
             incompatible schema and nothing is registered
Lines: + new subject · ~ new version · = unchanged · ! refused, with the field named.

Options:
  --dir <folder>            schema folder (default: schemas)
  --topics-dir <folder>     topic folder (default: topics)
  --subject-prefix <p>      prepend <p> to every subject (matches 'topics apply --prefix <p>')
  --compatibility <level>   BACKWARD (default) | FORWARD | FULL | NONE
Registry: ENTROPYLONG_REGISTRY_URL (default: the local stack, http://127.0.0.1:8081/apis/ccompat/v7).`;

const schemaFlags: Record<string, FlagSpec> = {
  dir: { kind: 'string', description: 'schema folder' },
  topicsDir: { kind: 'string', description: 'topic folder' },
  subjectPrefix: { kind: 'string', description: 'subject prefix' },
  compatibility: { kind: 'string', description: 'compatibility level' },
};

export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'register and check the Avro schemas in schemas/',
  help,
  async run(args) {
    const [action, ...rest] = args;
    if (action !== 'register' && action !== 'check') throw new UserError(`schemas: unknown action '${action ?? ''}'; expected 'register' or 'check' (see entropylong schemas --help)`);
    const { flags, positionals } = parseFlags(rest, schemaFlags, `schemas ${action}`);
    if (positionals.length > 0) throw new UserError(`schemas ${action}: unexpected argument '${positionals[0]}'`);
    const values = flags as { dir?: string; topicsDir?: string; subjectPrefix?: string; compatibility?: string };
    const level = (values.compatibility ?? 'BACKWARD').toUpperCase();
    if (!(compatibilityLevels as readonly string[]).includes(level)) throw new UserError(`schemas: --compatibility must be one of ${compatibilityLevels.join(', ')} (got '${values.compatibility ?? ''}')`);
    const options = { schemasDir: values.dir ?? 'schemas', topicsDir: values.topicsDir ?? 'topics', subjectPrefix: values.subjectPrefix ?? '', level: level as CompatibilityLevel };
    const { client, url } = createRegistryClient(undefined, 1);
    try {
      const result = action === 'check' ? await planSchemas(client, options) : await registerSchemas(client, options);
      for (const line of result.lines) console.log(line);
      if (result.refused) {
        console.error(`entropylong: incompatible schema change; ${action === 'register' ? 'nothing was registered' : 'register would refuse it'}`);
        return 1;
      }
      return 0;
    } catch (e) {
      if (!(e instanceof UserError) && registryStatus(e) === undefined && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timeout/i.test(errorMessage(e))) throw registryUnreachable(url, e);
      throw e;
    } finally {
      client.close();
    }
  },
};
