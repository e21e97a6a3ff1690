import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/config/fields.ts';
import { methodConfigSpecs, defaultMethodConfig } from '../../src/config/method-config.ts';

test('method config defaults carry the paper numbers', () => {
  assert.equal(defaultMethodConfig.alpha, 2.0);
  assert.equal(defaultMethodConfig.epsilon, 0.4);
  assert.equal(defaultMethodConfig.queryWindow, 16);
  assert.equal(defaultMethodConfig.targetTokens, 131072);
});

test('resolveConfig names the bad key and keeps the default', () => {
  const { config, problems } = resolveConfig(methodConfigSpecs, { epsilon: 1.5, alpah: 2, topK: 'x' });
  assert.equal(config.epsilon, 0.4);
  assert.equal(problems.length, 3);
  assert.match(problems[0] ?? '', /'epsilon' must be in \[0, 1\)/);
  assert.match(problems[1] ?? '', /unknown key 'alpah'/);
  assert.match(problems[2] ?? '', /'topK' must be a number/);
});
