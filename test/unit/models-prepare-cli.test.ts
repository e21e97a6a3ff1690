import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelsCommand } from '../../src/cli/commands/models.ts';
import { UserError } from '../../src/util/errors.ts';

async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    return { code: await fn(), out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

test('models list on an empty folder says how to prepare', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'models-cli-'));
  const { code, out } = await captured(() => modelsCommand.run(['list', '--models-dir', dir]));
  assert.equal(code, 0);
  assert.match(out, /no models in .*; run 'entropylong models prepare'/);
});

test('models: a missing or unknown action, an unknown flag, a missing required flag are one-line UserErrors', async () => {
  await assert.rejects(modelsCommand.run([]), (e: Error) => e instanceof UserError && /say what to do: 'prepare', 'add' or 'list'/.test(e.message));
  await assert.rejects(modelsCommand.run(['remove']), /unknown action 'remove'/);
  await assert.rejects(modelsCommand.run(['prepare', '--bogus']), /models prepare: unknown flag '--bogus'/);
  await assert.rejects(modelsCommand.run(['add', '--tokenizer', 't.json']), /--onnx <decoder\.onnx> is required/);
  await assert.rejects(modelsCommand.run(['add', '--onnx', 'm.onnx', '--context-length', 'lots']), /--context-length must be a number/);
  assert.match(modelsCommand.help, /models prepare[\s\S]*models add[\s\S]*models list/);
});
