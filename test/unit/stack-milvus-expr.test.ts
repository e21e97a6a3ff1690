import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldInList, fieldNotEqual, isValidCollectionName, milvusString } from '../../src/vector/milvus-expr.ts';

test('milvus string literals escape quotes and backslashes', () => {
  assert.equal(milvusString('plain'), '"plain"');
  assert.equal(milvusString('a"b'), '"a\\"b"');
  assert.equal(milvusString('a\\b'), '"a\\\\b"');
  assert.equal(milvusString('\\"'), '"\\\\\\""');
  assert.equal(fieldNotEqual('doc_id', 'x"y'), 'doc_id != "x\\"y"');
  assert.equal(fieldInList('chunk_id', ['a', 'b"']), 'chunk_id in ["a", "b\\""]');
});

test('collection names', () => {
  for (const ok of ['a', '_x', 'it_search_1ab']) assert.ok(isValidCollectionName(ok), ok);
  for (const bad of ['', '1a', 'a-b', 'a b', 'é', 'x'.repeat(256)]) assert.ok(!isValidCollectionName(bad), bad);
});
