/**
 * ONNX model writing and editing, no Python needed.
 *
 * Usage:
 *   import { GraphBuilder, attr } from '../onnx/index.ts';
 *   const g = new GraphBuilder();                       // opset 17 default domain
 *   g.useDomain('com.microsoft', 1);                    // only when using contrib ops
 *   const ids = g.input('input_ids', 'int64', ['batch', 'seq']);          // dims: numbers or dim_param names
 *   const w = g.initializer('w', new Float32Array(n * m), [n, m]);        // type from the array; Uint16Array = float16 bits
 *   const h = g.op('Gather', [w, ids], { axis: 0 });                      // returns the output value's name
 *   const y = g.op('ReduceMean', [h], { axes: [-1], keepdims: 0 });       // integral numbers → int attrs; attr.float(1) for floats
 *   const [a, b] = g.opMulti('Split', [x], { axis: -1 }, { outputs: 2 });
 *   g.output(y, 'entropy', 'float', ['batch', 'seq']);
 *   await g.save('model.onnx');   // streamed, atomic (temp + rename); weights > ~1.9 GB → 'model.onnx.data' external file
 * Helpers: g.constInt64([0, 1]), g.constFloat([1e-5]) (scalars when one value), float32ArrayToFloat16().
 * Initializer data is kept by reference until save: do not mutate it in between.
 */
export { GraphBuilder, attr, type AttrValue, type OpOptions, type TensorProtoSpec } from './graph-builder.ts';
export type { SaveOptions } from './model-writer.ts';
export type { Dim, ElemType, TensorData } from './onnx-types.ts';
export { float32ArrayToFloat16, float32ToFloat16Bits, float16BitsToFloat32 } from './float16.ts';
