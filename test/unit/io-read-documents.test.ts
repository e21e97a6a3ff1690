import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readDocuments } from '../../src/io/read-documents.ts';
import type { InputItem } from '../../src/io/input-item.ts';

async function collect(path: string, maxDocumentChars = 1000): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readDocuments(path, { maxDocumentChars })) out.push(item);
  return out;
}

test('JSONL: good records admitted, each bad one rejected with its reason and line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'el-read-'));
  const file = join(dir, 'in.jsonl');
  const lines = [
    Buffer.from(JSON.stringify({ id: 'a', text: 'hello world', url: 'http://x', language_score: 0.9 })),
    Buffer.from('{"id": "b", "text": '),
    Buffer.from(JSON.stringify({ id: 'c', text: '   \n\t ' })),
    Buffer.concat([Buffer.from('{"id":"d","text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    Buffer.from(JSON.stringify({ text: 'no id' })),
    Buffer.from(JSON.stringify({ id: 'f', text: 'x'.repeat(1001) })),
    Buffer.from('[1,2]'),
    Buffer.from(''),
    Buffer.from(JSON.stringify({ id: 7, text: 'numeric id', score: 3 })),
  ];
  await writeFile(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  const items = await collect(file);
  const summary = items.map((i) => (i.kind === 'document' ? `ok:${i.doc.id}@${i.location.record}` : `${i.reject.reason}@${i.reject.location.record}`));
  assert.deepEqual(summary, ['ok:a@1', 'invalid_json@2', 'empty_text@3', 'invalid_utf8@4', 'missing_field@5', 'document_too_long@6', 'not_an_object@7', 'ok:7@9']);
  const first = items[0];
  assert.ok(first?.kind === 'document');
  assert.deepEqual(first.doc, { id: 'a', text: 'hello world', url: 'http://x', languageScore: 0.9 });
});

test('Parquet with FineWeb columns is read; a corrupt Parquet file is one reject and the folder goes on', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'el-read-'));
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ['p1', 'p2'], type: 'STRING' },
      { name: 'text', data: ['first text', ''], type: 'STRING' },
      { name: 'dump', data: ['CC-MAIN-2024-10', 'CC-MAIN-2024-10'], type: 'STRING' },
      { name: 'token_count', data: [2n, 0n], type: 'INT64' },
    ],
  });
  await writeFile(join(dir, 'a.parquet'), Buffer.from(buf));
  await writeFile(join(dir, 'b.parquet'), Buffer.from('PAR1 this is not parquet'));
  await writeFile(join(dir, 'c.jsonl'), JSON.stringify({ id: 'j', text: 'json text' }) + '\n');
  const items = await collect(dir);
  const summary = items.map((i) => (i.kind === 'document' ? `ok:${i.doc.id}` : `${i.reject.reason}`));
  assert.deepEqual(summary, ['ok:p1', 'empty_text', 'unreadable_file', 'ok:j']);
  const p1 = items[0];
  assert.ok(p1?.kind === 'document');
  assert.equal(p1.doc.tokenCount, 2);
  assert.equal(p1.doc.dump, 'CC-MAIN-2024-10');
});
