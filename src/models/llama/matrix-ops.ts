import type { GraphBuilder } from '../onnx/graph-builder.ts';
import { concatRows, QUANT_BLOCK, type BlockMatrix, type F32Matrix, type WeightMatrix } from './block-quant.ts';

/** How the decoder graph stores and multiplies one kind of weight matrix (row-major [out, in]). */
export interface MatrixOps<M> {
  concatRows(parts: M[]): M;
  /** input [n, in] → [n, out]. */
  linear(g: GraphBuilder, input: string, w: M, name: string): string;
  /** Rows of `table` [vocab, hidden] for int64 ids of any shape, flattened to [n, hidden]. */
  embedding(g: GraphBuilder, ids: string, table: M, name: string): string;
}

export interface WeightOpsOptions {
  /** MatMulNBits accuracy_level: 4 quantises activations to int8 per block (as llama.cpp does), 0 keeps them float. @default 4 */
  accuracyLevel?: number;
}

/**
 * Float32 matrices through Gemm(transB=1) (reads [out, in] as stored); block matrices through
 * com.microsoft MatMulNBits. A tied output head reuses the embedding's initializers.
 */
export function weightOps(options: WeightOpsOptions = {}): MatrixOps<WeightMatrix> {
  const f32Names = new WeakMap<F32Matrix, string>();
  const blockNames = new WeakMap<BlockMatrix, { q: string; scales: string; zeroPoints: string }>();
  const f32Init = (g: GraphBuilder, w: F32Matrix, name: string) => {
    let n = f32Names.get(w);
    if (n === undefined) {
      n = g.initializer(`${name}.weight`, w.data, [w.rows, w.cols]);
      f32Names.set(w, n);
    }
    return n;
  };
  const blockInit = (g: GraphBuilder, w: BlockMatrix, name: string) => {
    let n = blockNames.get(w);
    if (n === undefined) {
      const nb = w.cols / QUANT_BLOCK;
      n = {
        q: g.initializer(`${name}.q${w.bits}`, w.bits === 8 ? w.q : packNibbles(w.q), [w.rows, nb, (QUANT_BLOCK * w.bits) / 8], 'uint8'),
        scales: g.initializer(`${name}.scales`, w.scales, [w.rows * nb], 'float'),
        zeroPoints: w.zeroPoints instanceof Float32Array
          ? g.initializer(`${name}.zero_points`, w.zeroPoints, [w.rows * nb], 'float')
          : w.bits === 8
            ? g.initializer(`${name}.zero_points`, w.zeroPoints, [w.rows * nb], 'uint8')
            : g.initializer(`${name}.zero_points`, packZeroPoints4(w.zeroPoints, w.rows, nb), [w.rows * Math.ceil(nb / 2)], 'uint8'),
      };
      blockNames.set(w, n);
    }
    return n;
  };
  return {
    concatRows: (parts) => concatRows(parts),
    linear: (g, input, w, name) => {
      if (w.kind === 'f32') return g.op('Gemm', [input, f32Init(g, w, name)], { transB: 1 }, { name });
      const i = blockInit(g, w, name);
      return g.op('MatMulNBits', [input, i.q, i.scales, i.zeroPoints], {
        K: w.cols, N: w.rows, bits: w.bits, block_size: QUANT_BLOCK, accuracy_level: options.accuracyLevel ?? 4,
      }, { domain: 'com.microsoft', name });
    },
    embedding: (g, ids, table, name) => {
      const flat = g.constInt64([-1, table.cols], [2], `${name}_flat`);
      if (table.kind === 'f32') return g.op('Reshape', [g.op('Gather', [f32Init(g, table, name), ids], { axis: 0 }, { name }), flat]);
      const i = blockInit(g, table, name);
      const nb = table.cols / QUANT_BLOCK;
      const gather = (t: string, what: string) => g.op('Gather', [t, ids], { axis: 0 }, { name: `${name}_${what}` });
      const bytes = gather(i.q, 'q');
      const perBlock = g.constInt64([-1, nb, 1], [3], `${name}_per_block`);
      let q: string;
      if (table.bits === 8) {
        q = g.op('Cast', [g.op('Reshape', [bytes, g.constInt64([-1, nb, QUANT_BLOCK], [3], `${name}_blocks`)])], { to: 1 });
      } else {
        const four = g.constInt64([4], [], `${name}_four`);
        const fourU8 = g.op('Cast', [four], { to: 2 });
        const hi = g.op('BitShift', [bytes, fourU8], { direction: 'RIGHT' }, { name: `${name}_hi` });
        const lo = g.op('Sub', [bytes, g.op('BitShift', [hi, fourU8], { direction: 'LEFT' })], {}, { name: `${name}_lo` });
        const last = g.constInt64([-1], [1], `${name}_last`);
        const pairs = g.op('Concat', [g.op('Unsqueeze', [lo, last]), g.op('Unsqueeze', [hi, last])], { axis: -1 });
        q = g.op('Cast', [g.op('Reshape', [pairs, g.constInt64([-1, nb, QUANT_BLOCK], [3], `${name}_blocks`)])], { to: 1 });
      }
      // Per-row copies of scales and zero points, shaped [vocab, blocks, 1] for the gather.
      const scales = g.initializer(`${name}.embed_scales`, table.scales, [table.rows, nb, 1], 'float');
      const zp = g.initializer(`${name}.embed_zero_points`, Float32Array.from(table.zeroPoints), [table.rows, nb, 1], 'float');
      const rows = g.op('Mul', [g.op('Sub', [q, g.op('Reshape', [gather(zp, 'zp'), perBlock])]), g.op('Reshape', [gather(scales, 'scale'), perBlock])], {}, { name: `${name}_dequant` });
      return g.op('Reshape', [rows, flat]);
    },
  };
}

/** Two 4-bit values per byte, the even element in the low nibble (MatMulNBits' packing). */
function packNibbles(q: Uint8Array): Uint8Array {
  const out = new Uint8Array(q.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = q[2 * i]! | (q[2 * i + 1]! << 4);
  return out;
}

/** 4-bit zero points packed per row: ceil(blocks/2) bytes, even block in the low nibble. */
function packZeroPoints4(zp: Uint8Array, rows: number, nb: number): Uint8Array {
  const perRow = Math.ceil(nb / 2);
  const out = new Uint8Array(rows * perRow);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < nb; b++) out[r * perRow + (b >> 1)]! |= zp[r * nb + b]! << ((b & 1) * 4);
  }
  return out;
}
