import { writeFileAtomically } from '../../util/atomic-file.ts';
import { SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtypes.ts';

export interface TensorToWrite {
  readonly name: string;
  readonly dtype: Extract<SafetensorsDtype, 'F32' | 'I64'>;
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/**
 * Writes a safetensors file (header padded to 8 bytes, tensors in the order given), to a
 * temporary name first so a reader never sees a half-written file under `path`. Data is written
 * in host byte order, which is little-endian on every platform this project runs on.
 */
export async function writeSafetensors(path: string, tensors: readonly TensorToWrite[], metadata: Readonly<Record<string, string>> = {}): Promise<void> {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const numel = t.shape.reduce((a, d) => a * d, 1);
    if (numel !== t.data.length) throw new Error(`writeSafetensors: tensor '${t.name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${numel}`);
    if ((t.dtype === 'I64') !== t.data instanceof BigInt64Array) throw new Error(`writeSafetensors: tensor '${t.name}' data does not match dtype ${t.dtype}`);
    const bytes = numel * SAFETENSORS_DTYPES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBytes.length));

  await writeFileAtomically(path, async (fh) => {
    await fh.write(len);
    await fh.write(headerBytes);
    for (const t of tensors) await fh.write(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  });
}
