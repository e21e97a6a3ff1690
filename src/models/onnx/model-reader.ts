import { F, elemTypeFromCode, type ElemType } from './onnx-types.ts';
import { fieldString, wireFields, type WireField } from './protobuf-reader.ts';

/** What the entropy-head wrapper needs to know of an existing ModelProto, with the raw field spans kept. */
export interface ParsedValueInfo {
  name: string;
  elemType: ElemType | undefined;
  dims: (number | string | undefined)[];
  field: WireField;
}

export interface ParsedModel {
  fields: WireField[];
  graphField: WireField;
  graphFields: WireField[];
  opsets: Map<string, number>;
  inputs: ParsedValueInfo[];
  outputs: ParsedValueInfo[];
  /** Every name the graph defines or uses (values, node names, initializers, value_info, inputs, outputs). */
  names: Set<string>;
  initializerNames: Set<string>;
  /** Locations of external data files referenced by initializers. */
  externalLocations: Set<string>;
}

export function parseModel(buf: Uint8Array, what: string): ParsedModel {
  const fields = [...wireFields(buf, 0, buf.byteLength, what)];
  const graphs = fields.filter((f) => f.field === F.model.graph && f.wireType === 2);
  if (graphs.length !== 1) throw new Error(`${what}: expected one graph in the ModelProto, found ${graphs.length}`);
  const opsets = new Map<string, number>();
  for (const f of fields.filter((x) => x.field === F.model.opsetImport)) {
    let domain = '', version = 0;
    for (const o of wireFields(buf, f.payloadStart, f.payloadEnd, what)) {
      if (o.field === F.opset.domain) domain = fieldString(buf, o);
      if (o.field === F.opset.version) version = Number(o.varint ?? 0n);
    }
    opsets.set(domain === 'ai.onnx' ? '' : domain, version);
  }
  const graphField = graphs[0]!;
  const graphFields = [...wireFields(buf, graphField.payloadStart, graphField.payloadEnd, `${what} graph`)];
  const names = new Set<string>();
  const externalLocations = new Set<string>();
  const initializerNames = new Set<string>();
  const inputs: ParsedValueInfo[] = [];
  const outputs: ParsedValueInfo[] = [];
  for (const f of graphFields) {
    const sub = () => wireFields(buf, f.payloadStart, f.payloadEnd, what);
    switch (f.field) {
      case F.graph.node:
        for (const n of sub()) if (n.field === F.node.input || n.field === F.node.output || n.field === F.node.name) names.add(fieldString(buf, n));
        break;
      case F.graph.initializer: {
        let external = false;
        const locations: string[] = [];
        for (const t of sub()) {
          if (t.field === F.tensor.name) {
            names.add(fieldString(buf, t));
            initializerNames.add(fieldString(buf, t));
          }
          if (t.field === F.tensor.dataLocation && t.varint === 1n) external = true;
          if (t.field === F.tensor.externalData) {
            let key = '', value = '';
            for (const e of wireFields(buf, t.payloadStart, t.payloadEnd, what)) {
              if (e.field === F.stringEntry.key) key = fieldString(buf, e);
              if (e.field === F.stringEntry.value) value = fieldString(buf, e);
            }
            if (key === 'location') locations.push(value);
          }
        }
        if (external) for (const l of locations) externalLocations.add(l);
        break;
      }
      case F.graph.input:
      case F.graph.output:
      case F.graph.valueInfo: {
        const vi = parseValueInfo(buf, f, what);
        names.add(vi.name);
        if (f.field === F.graph.input) inputs.push(vi);
        if (f.field === F.graph.output) outputs.push(vi);
        break;
      }
    }
  }
  return { fields, graphField, graphFields, opsets, inputs, outputs, names, initializerNames, externalLocations };
}

function parseValueInfo(buf: Uint8Array, f: WireField, what: string): ParsedValueInfo {
  let name = '';
  let elemType: ElemType | undefined;
  const dims: (number | string | undefined)[] = [];
  for (const v of wireFields(buf, f.payloadStart, f.payloadEnd, what)) {
    if (v.field === F.valueInfo.name) name = fieldString(buf, v);
    if (v.field !== F.valueInfo.type) continue;
    for (const t of wireFields(buf, v.payloadStart, v.payloadEnd, what)) {
      if (t.field !== F.type.tensorType) continue;
      for (const tt of wireFields(buf, t.payloadStart, t.payloadEnd, what)) {
        if (tt.field === F.tensorType.elemType) elemType = elemTypeFromCode(Number(tt.varint ?? 0n));
        if (tt.field !== F.tensorType.shape) continue;
        for (const d of wireFields(buf, tt.payloadStart, tt.payloadEnd, what)) {
          if (d.field !== F.shape.dim) continue;
          let dim: number | string | undefined;
          for (const x of wireFields(buf, d.payloadStart, d.payloadEnd, what)) {
            if (x.field === F.dim.value) dim = Number(x.varint ?? 0n);
            if (x.field === F.dim.param) dim = fieldString(buf, x);
          }
          dims.push(dim);
        }
      }
    }
  }
  return { name, elemType, dims, field: f };
}
