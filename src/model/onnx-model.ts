/**
 * A light, read-only view of an ONNX model: the graph's nodes, inputs, outputs and known tensor types,
 * read straight from the protobuf without touching weight data (a 500 MB VGG16's weights are skipped,
 * not decoded).
 * Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, ...).
 */
import { ProtoReader, WIRE_LEN } from './protobuf.js';

/** One dimension: a number when fixed, a string (symbolic name) or null when dynamic/unknown. */
export type Dim = number | string | null;

export interface TensorInfo {
  name: string;
  /** ONNX TensorProto.DataType (1 = float32); 0 when unknown. */
  elemType: number;
  /** null when the shape is unknown. */
  shape: Dim[] | null;
}

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxModelInfo {
  irVersion: number;
  opset: number;
  producer: string;
  metadata: Record<string, string>;
  nodes: OnnxNode[];
  /** Graph inputs that are not initializers (the real feeds). */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Shapes/types the exporter recorded for inner tensors (often empty). */
  valueInfo: Map<string, TensorInfo>;
  initializers: Set<string>;
  /** Whether some tensor data lives in external files (not supported: we load models from memory). */
  usesExternalData: boolean;
}

/** Parses ONNX ModelProto bytes. Throws a plain Error when the bytes are not a protobuf model. */
export function parseOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  const r = new ProtoReader(bytes);
  const info: OnnxModelInfo = {
    irVersion: 0,
    opset: 0,
    producer: '',
    metadata: {},
    nodes: [],
    inputs: [],
    outputs: [],
    valueInfo: new Map(),
    initializers: new Set(),
    usesExternalData: false,
  };
  const graphInputs: TensorInfo[] = [];
  let sawGraph = false;
  while (!r.done()) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 0) info.irVersion = r.varint();
    else if (field === 2 && wire === WIRE_LEN) info.producer = r.string();
    else if (field === 8 && wire === WIRE_LEN) {
      const op = r.message();
      let domain = '';
      let version = 0;
      while (!op.done()) {
        const [f, w] = op.key();
        if (f === 1 && w === WIRE_LEN) domain = op.string();
        else if (f === 2 && w === 0) version = op.varint();
        else op.skip(w);
      }
      if (domain === '' || domain === 'ai.onnx') info.opset = Math.max(info.opset, version);
    } else if (field === 14 && wire === WIRE_LEN) {
      const kv = r.message();
      let k = '';
      let v = '';
      while (!kv.done()) {
        const [f, w] = kv.key();
        if (f === 1 && w === WIRE_LEN) k = kv.string();
        else if (f === 2 && w === WIRE_LEN) v = kv.string();
        else kv.skip(w);
      }
      info.metadata[k] = v;
    } else if (field === 7 && wire === WIRE_LEN) {
      sawGraph = true;
      readGraph(r.message(), info, graphInputs);
    } else r.skip(wire);
  }
  if (!sawGraph || info.irVersion === 0) throw new Error('no ONNX graph found');
  info.inputs = graphInputs.filter((t) => !info.initializers.has(t.name));
  return info;
}

function readGraph(g: ProtoReader, info: OnnxModelInfo, graphInputs: TensorInfo[]): void {
  while (!g.done()) {
    const [field, wire] = g.key();
    if (wire !== WIRE_LEN) {
      g.skip(wire);
      continue;
    }
    if (field === 1) info.nodes.push(readNode(g.message()));
    else if (field === 5) readInitializer(g.message(), info);
    else if (field === 11) graphInputs.push(readValueInfo(g.message()));
    else if (field === 12) info.outputs.push(readValueInfo(g.message()));
    else if (field === 13) {
      const vi = readValueInfo(g.message());
      info.valueInfo.set(vi.name, vi);
    } else g.skip(wire);
  }
}

function readNode(n: ProtoReader): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', inputs: [], outputs: [] };
  while (!n.done()) {
    const [f, w] = n.key();
    if (f === 1 && w === WIRE_LEN) node.inputs.push(n.string());
    else if (f === 2 && w === WIRE_LEN) node.outputs.push(n.string());
    else if (f === 3 && w === WIRE_LEN) node.name = n.string();
    else if (f === 4 && w === WIRE_LEN) node.opType = n.string();
    else n.skip(w);
  }
  return node;
}

function readInitializer(t: ProtoReader, info: OnnxModelInfo): void {
  while (!t.done()) {
    const [f, w] = t.key();
    if (f === 8 && w === WIRE_LEN) info.initializers.add(t.string());
    else if (f === 13 && w === WIRE_LEN) {
      info.usesExternalData = true; // TensorProto.external_data
      t.skip(w);
    } else t.skip(w);
  }
}

function readValueInfo(v: ProtoReader): TensorInfo {
  const out: TensorInfo = { name: '', elemType: 0, shape: null };
  while (!v.done()) {
    const [f, w] = v.key();
    if (f === 1 && w === WIRE_LEN) out.name = v.string();
    else if (f === 2 && w === WIRE_LEN) readType(v.message(), out);
    else v.skip(w);
  }
  return out;
}

function readType(t: ProtoReader, out: TensorInfo): void {
  while (!t.done()) {
    const [f, w] = t.key();
    if (f !== 1 || w !== WIRE_LEN) {
      t.skip(w);
      continue;
    }
    const tt = t.message(); // TypeProto.Tensor
    while (!tt.done()) {
      const [f2, w2] = tt.key();
      if (f2 === 1 && w2 === 0) out.elemType = tt.varint();
      else if (f2 === 2 && w2 === WIRE_LEN) out.shape = readShape(tt.message());
      else tt.skip(w2);
    }
  }
}

function readShape(s: ProtoReader): Dim[] {
  const dims: Dim[] = [];
  while (!s.done()) {
    const [f, w] = s.key();
    if (f !== 1 || w !== WIRE_LEN) {
      s.skip(w);
      continue;
    }
    const d = s.message();
    let dim: Dim = null;
    while (!d.done()) {
      const [f2, w2] = d.key();
      if (f2 === 1 && w2 === 0) dim = d.varint();
      else if (f2 === 2 && w2 === WIRE_LEN) dim = d.string() || null;
      else d.skip(w2);
    }
    dims.push(dim);
  }
  return dims;
}
