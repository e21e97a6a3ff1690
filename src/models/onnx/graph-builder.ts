import type { ProtoMessage } from './protobuf-writer.ts';
import { ELEM_TYPE_BYTES, type Dim, type ElemType, type TensorData } from './onnx-types.ts';
import { writeModel, type SaveOptions } from './model-writer.ts';
import { nodeProto, valueInfo, type AttrValue, type Initializer } from './onnx-messages.ts';

export { attr, type AttrValue, type TensorProtoSpec } from './onnx-messages.ts';

export interface OpOptions {
  domain?: string;
  /** Number of outputs (default 1); `op` returns the first, `opMulti` all of them. */
  outputs?: number;
  name?: string;
  /** Exact names for the outputs (must be unused), instead of generated ones. */
  outputNames?: string[];
}


/**
 * Builds one ONNX graph. Values are referred to by name (strings); `op` names its outputs uniquely.
 * Initializer data is kept by reference (not copied) until `save` streams it to disk.
 */
export class GraphBuilder {
  readonly nodes: ProtoMessage[] = [];
  readonly initializers: Initializer[] = [];
  private readonly inputs: ProtoMessage[] = [];
  private readonly outputs: ProtoMessage[] = [];
  private readonly names = new Set<string>();
  private readonly opsets = new Map<string, number>();
  private counter = 0;

  constructor(readonly graphName = 'entropylong', opset = 17) {
    this.opsets.set('', opset);
  }

  /** Declares a domain other than the default (e.g. 'com.microsoft', 1) for contrib ops. */
  useDomain(domain: string, version: number): this {
    this.opsets.set(domain, version);
    return this;
  }

  uniqueName(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Marks `value` as a graph output named `name` (adds an Identity when the names differ). */
  output(value: string, name: string, type: ElemType, dims: readonly Dim[]): string {
    if (value !== name) {
      this.claim(name);
      this.nodes.push(nodeProto('Identity', [value], [name], this.uniqueName('Identity'), '', {}));
    }
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  initializer(name: string, data: TensorData, dims: readonly number[], type: ElemType = defaultType(data)): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.byteLength !== count * ELEM_TYPE_BYTES[type]) {
      throw new RangeError(`initializer ${name}: ${data.byteLength} bytes do not fill dims [${dims.join(', ')}] of ${type}`);
    }
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, type, dims, data });
    return unique;
  }

  /** Small constant helpers; a scalar when `dims` is omitted. */
  constInt64(values: readonly (number | bigint)[], dims: readonly number[] = values.length === 1 ? [] : [values.length], name = 'const_i64'): string {
    return this.initializer(name, BigInt64Array.from(values.map((v) => BigInt(v))), dims, 'int64');
  }

  constFloat(values: readonly number[], dims: readonly number[] = values.length === 1 ? [] : [values.length], name = 'const_f32'): string {
    return this.initializer(name, Float32Array.from(values), dims, 'float');
  }

  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, options: OpOptions = {}): string {
    return this.opMulti(opType, inputs, attrs, options)[0]!;
  }

  opMulti(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, options: OpOptions = {}): string[] {
    const domain = options.domain ?? '';
    if (!this.opsets.has(domain)) throw new Error(`op ${opType}: domain '${domain}' not declared (call useDomain)`);
    const nodeName = this.uniqueName(options.name ?? opType);
    const outs = options.outputNames !== undefined
      ? options.outputNames.map((n) => { this.claim(n); return n; })
      : Array.from({ length: options.outputs ?? 1 }, (_, i) => this.uniqueName(`${nodeName}_out${i}`));
    this.nodes.push(nodeProto(opType, inputs, outs, nodeName, domain, attrs));
    return outs;
  }

  /** Marks names used elsewhere (e.g. by a graph this one is merged into) so generated names avoid them. */
  reserveNames(names: Iterable<string>): this {
    for (const n of names) this.names.add(n);
    return this;
  }

  /** The encoded pieces, for merging into an existing model (see entropy-head-wrap.ts). */
  parts(): { nodes: readonly ProtoMessage[]; initializers: readonly Initializer[]; inputs: readonly ProtoMessage[]; outputs: readonly ProtoMessage[] } {
    return { nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }

  /** Writes the model (atomically: temp name, then rename). See `SaveOptions` for external data. */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    await writeModel(path, {
      opsets: [...this.opsets.entries()],
      graphName: this.graphName,
      nodes: this.nodes,
      inputs: this.inputs,
      outputs: this.outputs,
      initializers: this.initializers,
    }, options);
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`graph value name '${name}' is already used`);
    this.names.add(name);
  }
}

function defaultType(data: TensorData): ElemType {
  if (data instanceof Float32Array) return 'float';
  if (data instanceof Float64Array) return 'double';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'float16';
  return 'uint8';
}
