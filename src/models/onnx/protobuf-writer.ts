/**
 * Protobuf wire-format encoder that never copies large payloads: a message is a list of byte
 * parts (small headers plus the caller's own buffers), so a model with hundreds of MB of weights
 * is written by streaming the parts, not by building one giant buffer.
 */
export class ProtoMessage {
  readonly parts: Uint8Array[] = [];
  byteLength = 0;

  private pushBytes(b: Uint8Array): void {
    this.parts.push(b);
    this.byteLength += b.byteLength;
  }

  private pushTag(field: number, wireType: number): void {
    this.pushBytes(encodeVarint(BigInt((field << 3) | wireType)));
  }

  /** Appends already-encoded fields (tag and payload) verbatim, e.g. fields copied from a parsed message. */
  raw(encodedFields: Uint8Array): this {
    if (encodedFields.byteLength > 0) this.pushBytes(encodedFields);
    return this;
  }

  varint(field: number, value: number | bigint): this {
    this.pushTag(field, 0);
    this.pushBytes(encodeVarint(BigInt(value)));
    return this;
  }

  float32(field: number, value: number): this {
    this.pushTag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.pushBytes(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.pushTag(field, 2);
    this.pushBytes(encodeVarint(BigInt(data.byteLength)));
    if (data.byteLength > 0) this.pushBytes(data);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoMessage): this {
    this.pushTag(field, 2);
    this.pushBytes(encodeVarint(BigInt(m.byteLength)));
    for (const p of m.parts) this.pushBytes(p);
    return this;
  }

  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const encoded = values.map((v) => encodeVarint(BigInt(v)));
    const total = encoded.reduce((n, e) => n + e.byteLength, 0);
    this.pushTag(field, 2);
    this.pushBytes(encodeVarint(BigInt(total)));
    for (const e of encoded) this.pushBytes(e);
    return this;
  }

  packedFloat32(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }
}

/** Varint of a signed 64-bit value: negatives are written as their 64-bit two's complement (10 bytes). */
export function encodeVarint(value: bigint): Uint8Array {
  let v = value < 0n ? BigInt.asUintN(64, value) : value;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
