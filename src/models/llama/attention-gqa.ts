import type { Attention, AttentionContext } from './attention.ts';
import { rotaryTables } from './attention.ts';

/**
 * com.microsoft GroupQueryAttention on the packed QKV: fused interleaved rotary, causal mask, and
 * key padding through seqlens_k (= real length − 1 per row, right padding), no [seq, seq] tensors
 * in the graph. Rotary tables cover the model's context length.
 */
export function groupQueryAttention({ g, cfg, attentionMask, bs }: AttentionContext): Attention {
  const { heads: H, kvHeads: KV, headDim: D } = cfg;
  const { cos, sin } = rotaryTables(cfg, cfg.contextLength);
  const cosCache = g.initializer('rope_cos_cache', cos, [cfg.contextLength, D / 2]);
  const sinCache = g.initializer('rope_sin_cache', sin, [cfg.contextLength, D / 2]);
  const one = g.constInt64([1], [1], 'gqa_axis1');
  const lengths = g.op('ReduceSum', [attentionMask, one], { keepdims: 0 }, { name: 'gqa_lengths' });
  const seqlensK = g.op('Cast', [g.op('Sub', [lengths, g.constInt64([1], [], 'gqa_one')])], { to: 6 }, { name: 'gqa_seqlens_k' });
  const seq = g.op('Slice', [bs, one, g.constInt64([2], [1], 'gqa_two')]);
  const totalLength = g.op('Cast', [g.op('Squeeze', [seq, g.constInt64([0], [1], 'gqa_axis0')])], { to: 6 }, { name: 'gqa_total_length' });
  const packedShape = g.op('Concat', [bs, g.constInt64([(H + 2 * KV) * D], [1], 'gqa_packed_width')], { axis: 0 }, { name: 'gqa_packed_shape' });
  const flat = g.constInt64([-1, H * D], [2], 'gqa_flat');
  return (qkv, name) => {
    const packed = g.op('Reshape', [qkv, packedShape], {}, { name: `${name}.packed` });
    const [out] = g.opMulti('GroupQueryAttention', [packed, '', '', '', '', seqlensK, totalLength, cosCache, sinCache], {
      num_heads: H, kv_num_heads: KV, do_rotary: 1, rotary_interleaved: 1,
    }, { domain: 'com.microsoft', outputs: 3, name: `${name}.gqa` });
    return g.op('Reshape', [out!, flat], {}, { name: `${name}.context` });
  };
}
