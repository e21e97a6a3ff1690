import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, type FlagSpec } from '../../src/cli/flags.ts';
import { UserError } from '../../src/util/errors.ts';

const specs: Record<string, FlagSpec> = {
  input: { kind: 'string', description: 'in' },
  topK: { kind: 'number', description: 'k' },
  withTokenIds: { kind: 'boolean', description: 'ids' },
};

test('parses values, = forms, booleans and negations', () => {
  const { flags, positionals } = parseFlags(['--input', 'a.jsonl', '--top-k=8', '--with-token-ids', 'extra'], specs, 'run');
  assert.deepEqual(flags, { input: 'a.jsonl', topK: 8, withTokenIds: true });
  assert.deepEqual(positionals, ['extra']);
  assert.deepEqual(parseFlags(['--no-with-token-ids'], specs, 'run').flags, { withTokenIds: false });
});

test('bad flags are one-line user errors naming the flag', () => {
  assert.throws(() => parseFlags(['--topk', '3'], specs, 'run'), (e: unknown) => e instanceof UserError && /unknown flag '--topk'/.test(e.message));
  assert.throws(() => parseFlags(['--top-k', 'many'], specs, 'run'), /--top-k must be a number, got 'many'/);
  assert.throws(() => parseFlags(['--input'], specs, 'run'), /--input needs a value/);
});
