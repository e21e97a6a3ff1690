import { EntropyLongError } from '../../util/errors.ts';

/** One field of a protobuf message as it lies on the wire; `start..end` spans the whole field (tag included). */
export interface WireField {
  field: number;
  wireType: number;
  start: number;
  end: number;
  /** Varint value (wire type 0). */
  varint?: bigint;
  /** Payload span for length-delimited fields (wire type 2). */
  payloadStart?: number;
  payloadEnd?: number;
}

export class ProtoDecodeError extends EntropyLongError {}

function readVarint(buf: Uint8Array, pos: number, end: number, what: string): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let p = pos; p < end && shift < 70n; p++) {
    const b = buf[p]!;
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) return [result, p + 1];
  }
  throw new ProtoDecodeError(`${what}: truncated or malformed varint at byte ${pos}`);
}

/** Iterates the top-level fields of the message in buf[start, end). */
export function* wireFields(buf: Uint8Array, start = 0, end = buf.byteLength, what = 'protobuf'): Generator<WireField> {
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const [tag, afterTag] = readVarint(buf, pos, end, what);
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    pos = afterTag;
    switch (wireType) {
      case 0: {
        const [v, next] = readVarint(buf, pos, end, what);
        pos = next;
        yield { field, wireType, start: fieldStart, end: pos, varint: v };
        break;
      }
      case 1:
      case 5: {
        pos += wireType === 1 ? 8 : 4;
        if (pos > end) throw new ProtoDecodeError(`${what}: field ${field} runs past the end at byte ${fieldStart}`);
        yield { field, wireType, start: fieldStart, end: pos };
        break;
      }
      case 2: {
        const [len, next] = readVarint(buf, pos, end, what);
        const payloadEnd = next + Number(len);
        if (payloadEnd > end) throw new ProtoDecodeError(`${what}: field ${field} (length ${len}) runs past the end at byte ${fieldStart}`);
        pos = payloadEnd;
        yield { field, wireType, start: fieldStart, end: pos, payloadStart: next, payloadEnd };
        break;
      }
      default:
        throw new ProtoDecodeError(`${what}: unsupported wire type ${wireType} for field ${field} at byte ${fieldStart}`);
    }
  }
}

export function fieldString(buf: Uint8Array, f: WireField): string {
  return new TextDecoder().decode(buf.subarray(f.payloadStart, f.payloadEnd));
}
