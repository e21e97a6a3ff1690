import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { dropped, ok, type Envelope, type Outcome } from '../../src/domain/index.ts';
import { decodeWith, encodeWith } from '../../src/serde/codec-operators.ts';
import { EntropyLongError } from '../../src/util/errors.ts';

// Unit-test stand-in for the registry codec: UTF-8 text, failing on demand, no network.
const fakeCodec = {
  deserialize: async (_topic: string, bytes: Buffer): Promise<string> => {
    const s = bytes.toString();
    if (s === 'garbage') throw new EntropyLongError('not Avro', { retriable: false });
    if (s === 'registry-down') throw new EntropyLongError('connect ECONNREFUSED', { retriable: true });
    return s;
  },
  serialize: async (_topic: string, value: string): Promise<Buffer> => {
    if (value === 'misfit') throw new EntropyLongError("Invalid message at text", { retriable: false });
    return Buffer.from(value.toUpperCase());
  },
};
const env = (v: string, offset: string): Envelope<Buffer> => ({ key: v, value: Buffer.from(v), source: { topic: 't', partition: 0, offset } });

test('undecodable bytes become a non-retriable failed outcome, in order with the rest', async () => {
  const out = await firstValueFrom(from([env('a', '0'), env('garbage', '1'), env('b', '2')]).pipe(decodeWith(fakeCodec), toArray()));
  assert.deepEqual(out.map((e) => e.value.kind), ['ok', 'failed', 'ok']);
  assert.deepEqual(out[0]?.value, ok('a'));
  const f = out[1]?.value;
  assert.ok(f?.kind === 'failed' && !f.retriable && /not Avro/.test(f.error.message));
  assert.equal(out[1]?.source?.offset, '1', 'coordinates are kept for the dead-letter headers');
});

test('a retriable decode error errors the stream instead of dead-lettering the message', async () => {
  await assert.rejects(firstValueFrom(from([env('registry-down', '0')]).pipe(decodeWith(fakeCodec), toArray())), /ECONNREFUSED/);
});

test('encoding: ok values are encoded, other outcomes pass, a misfit value fails', async () => {
  const input: Envelope<Outcome<string>>[] = [
    { key: 'a', value: ok('a') }, { key: 'b', value: dropped('empty_text') }, { key: 'c', value: ok('misfit') },
  ];
  const out = await firstValueFrom(from(input).pipe(encodeWith(fakeCodec, 'out'), toArray()));
  assert.deepEqual(out[0]?.value, ok(Buffer.from('A')));
  assert.deepEqual(out[1]?.value, dropped('empty_text'));
  assert.equal(out[2]?.value.kind, 'failed');
});
