/**
 * Builds small real ONNX models for tests (no Python needed): a protobuf writer over the ONNX schema,
 * plus a tiny CNN laid out and named the way torch.onnx.export names nodes (`/features/features.0/Conv`).
 */
import { ProtoWriter } from '../../src/model/protobuf.js';

type Dim = number | string;
type Attr = { name: string } & ({ i: number } | { ints: number[] } | { f: number });

export class OnnxBuilder {
  private nodes: ProtoWriter[] = [];
  private inits: ProtoWriter[] = [];
  private inputs: ProtoWriter[] = [];
  private outputs: ProtoWriter[] = [];
  private metadata: [string, string][] = [];
  constructor(private opset = 13) {}

  private static valueInfo(name: string, dims: Dim[] | null, elemType = 1): ProtoWriter {
    const tensor = new ProtoWriter().varintField(1, elemType);
    if (dims) {
      const shape = new ProtoWriter();
      for (const d of dims) {
        const dim =
          typeof d === 'number' ? new ProtoWriter().varintField(1, d) : new ProtoWriter().stringField(2, d);
        shape.messageField(1, dim);
      }
      tensor.messageField(2, shape);
    }
    return new ProtoWriter().stringField(1, name).messageField(2, new ProtoWriter().messageField(1, tensor));
  }

  input(name: string, dims: Dim[], elemType = 1): this {
    this.inputs.push(OnnxBuilder.valueInfo(name, dims, elemType));
    return this;
  }
  output(name: string, dims: Dim[] | null = null, elemType = 1): this {
    this.outputs.push(OnnxBuilder.valueInfo(name, dims, elemType));
    return this;
  }
  meta(key: string, value: string): this {
    this.metadata.push([key, value]);
    return this;
  }
  init(name: string, dims: number[], data: Float32Array | BigInt64Array): this {
    const t = new ProtoWriter();
    for (const d of dims) t.varintField(1, d);
    t.varintField(2, data instanceof Float32Array ? 1 : 7);
    t.stringField(8, name);
    t.bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.inits.push(t);
    return this;
  }
  node(opType: string, inputs: string[], outputs: string[], name: string, attrs: Attr[] = []): this {
    const n = new ProtoWriter();
    for (const i of inputs) n.stringField(1, i);
    for (const o of outputs) n.stringField(2, o);
    n.stringField(3, name).stringField(4, opType);
    for (const a of attrs) {
      const w = new ProtoWriter().stringField(1, a.name);
      if ('i' in a) w.varintField(3, a.i).varintField(20, 2);
      else if ('f' in a) w.floatField(2, a.f).varintField(20, 1);
      else {
        for (const v of a.ints) w.varintField(8, v);
        w.varintField(20, 7);
      }
      n.messageField(5, w);
    }
    this.nodes.push(n);
    return this;
  }
  build(): Uint8Array {
    const g = new ProtoWriter();
    for (const n of this.nodes) g.messageField(1, n);
    g.stringField(2, 'test-graph');
    for (const t of this.inits) g.messageField(5, t);
    for (const i of this.inputs) g.messageField(11, i);
    for (const o of this.outputs) g.messageField(12, o);
    const m = new ProtoWriter().varintField(1, 8).stringField(2, 'featscope-test');
    m.messageField(8, new ProtoWriter().stringField(1, '').varintField(2, this.opset));
    m.messageField(7, g);
    for (const [k, v] of this.metadata)
      m.messageField(14, new ProtoWriter().stringField(1, k).stringField(2, v));
    return m.finish();
  }
}

/** Deterministic pseudo-random floats in [-scale, scale). */
export function seededFloats(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

export interface TinyCnnOptions {
  channels?: number;
  height?: number;
  width?: number;
  classes?: number;
  hidden?: number;
  /** 'batch' (symbolic, dynamic) or a fixed number. */
  batch?: Dim;
  seed?: number;
  /** Name nodes as torch.onnx.export does (true) or with bare names (false). */
  torchNames?: boolean;
}

/**
 * A VGG-like CNN: features = [Conv 3x3 (4 filters, pad 1), Relu], Flatten,
 * classifier = [Gemm(hidden), Relu, Gemm(classes)]. Returns the model and its final-layer weights so a
 * test can check that the default feature tensor is exactly the input of the last Gemm.
 */
export function tinyCnn(opts: TinyCnnOptions = {}): {
  bytes: Uint8Array;
  fcW: Float32Array;
  fcB: Float32Array;
} {
  const c = opts.channels ?? 1;
  const h = opts.height ?? 8;
  const w = opts.width ?? 8;
  const classes = opts.classes ?? 3;
  const hidden = opts.hidden ?? 6;
  const seed = opts.seed ?? 1;
  const t = opts.torchNames ?? true;
  const nm = (scope: string, op: string) => (t ? `/${scope}/${op}` : `${op}_${scope.replaceAll('/', '_')}`);
  const out = (scope: string, op: string) =>
    t ? `/${scope}/${op}_output_0` : `${scope.replaceAll('/', '_')}_${op}`;
  const flat = 4 * h * w;
  const fcW = seededFloats(classes * hidden, seed + 3);
  const fcB = seededFloats(classes, seed + 4);
  const b = new OnnxBuilder()
    .input('input', [opts.batch ?? 'batch', c, h, w])
    .output('logits', [opts.batch ?? 'batch', classes])
    .init('features.0.weight', [4, c, 3, 3], seededFloats(4 * c * 9, seed))
    .init('features.0.bias', [4], seededFloats(4, seed + 1))
    .init('classifier.0.weight', [hidden, flat], seededFloats(hidden * flat, seed + 2, 0.1))
    .init('classifier.0.bias', [hidden], seededFloats(hidden, seed + 5))
    .init('classifier.2.weight', [classes, hidden], fcW)
    .init('classifier.2.bias', [classes], fcB)
    .node(
      'Conv',
      ['input', 'features.0.weight', 'features.0.bias'],
      [out('features/features.0', 'Conv')],
      nm('features/features.0', 'Conv'),
      [
        { name: 'kernel_shape', ints: [3, 3] },
        { name: 'pads', ints: [1, 1, 1, 1] },
      ],
    )
    .node(
      'Relu',
      [out('features/features.0', 'Conv')],
      [out('features/features.1', 'Relu')],
      nm('features/features.1', 'Relu'),
    )
    .node(
      'Flatten',
      [out('features/features.1', 'Relu')],
      [t ? '/Flatten_output_0' : 'Flatten_Flatten'],
      t ? '/Flatten' : 'Flatten_0',
      [{ name: 'axis', i: 1 }],
    );
  const flatOut = t ? '/Flatten_output_0' : 'Flatten_Flatten';
  b.node(
    'Gemm',
    [flatOut, 'classifier.0.weight', 'classifier.0.bias'],
    [out('classifier/classifier.0', 'Gemm')],
    nm('classifier/classifier.0', 'Gemm'),
    [{ name: 'transB', i: 1 }],
  )
    .node(
      'Relu',
      [out('classifier/classifier.0', 'Gemm')],
      [out('classifier/classifier.1', 'Relu')],
      nm('classifier/classifier.1', 'Relu'),
    )
    .node(
      'Gemm',
      [out('classifier/classifier.1', 'Relu'), 'classifier.2.weight', 'classifier.2.bias'],
      ['logits'],
      nm('classifier/classifier.2', 'Gemm'),
      [{ name: 'transB', i: 1 }],
    );
  return { bytes: b.build(), fcW, fcB };
}
