/**
 * Feature-layer names: PyTorch module paths recovered from torch.onnx.export node names, ONNX tensor
 * names, the default layer (the input of the final classification layer), and "did you mean" hints.
 *
 * torch.onnx.export (torch >= 1.13) names nodes by module scope: `/classifier/classifier.4/Relu`, or
 * `/layer1/layer1.0/conv1/Conv` where nested segments are local names. A module's output is the first
 * output of the last node (in topological order, which ONNX guarantees for node lists) inside its scope.
 */
import type { OnnxModelInfo, OnnxNode } from './onnx-model.js';

/** Ops that compute shapes/indices rather than features; never offered as feature layers. */
const NON_FEATURE_OPS = new Set([
  'Constant',
  'ConstantOfShape',
  'Shape',
  'Size',
  'Gather',
  'Unsqueeze',
  'Cast',
  'Range',
  'Equal',
  'Where',
  'Expand',
  'NonZero',
  'Less',
  'Greater',
  'Not',
  'And',
  'Or',
  'ArgMax',
  'ArgMin',
  'Identity',
]);

export interface LayerCandidate {
  /** ONNX tensor name (what is exposed as a graph output). */
  tensor: string;
  /** PyTorch module path when the exporter left scopes in node names, e.g. `classifier.4`. */
  modulePath: string | null;
  /** Op type of the producing node. */
  op: string;
  /** Producing node's name. */
  node: string;
}

/** The module path chain of a scoped node name: `/layer1/layer1.0/conv1/Conv` -> [layer1, layer1.0, layer1.0.conv1]. */
export function modulePathsOfNode(nodeName: string): string[] {
  if (!nodeName.startsWith('/')) return [];
  const segments = nodeName
    .split('/')
    .slice(1, -1)
    .filter((s) => s.length > 0);
  const paths: string[] = [];
  let prev = '';
  for (const seg of segments) {
    const full = prev === '' || seg.startsWith(`${prev}.`) ? seg : `${prev}.${seg}`;
    paths.push(full);
    prev = full;
  }
  return paths;
}

/**
 * Every candidate feature tensor, in graph order. `include` names tensors to list even when their op is
 * one of NON_FEATURE_OPS (the default layer can be a Gather's output: ViT's class token `x[:, 0]`).
 */
export function listLayerCandidates(model: OnnxModelInfo, include: readonly string[] = []): LayerCandidate[] {
  const included = new Set(include);
  const lastNodeOfModule = new Map<string, OnnxNode>();
  for (const node of model.nodes) {
    if (NON_FEATURE_OPS.has(node.opType) || node.outputs.length === 0) continue;
    for (const p of modulePathsOfNode(node.name)) lastNodeOfModule.set(p, node);
  }
  const byTensor = new Map<string, LayerCandidate>();
  const moduleOfTensor = new Map<string, string>();
  // The innermost (longest) module path wins when several modules end on the same tensor
  // (`features` and `features.30` both end on the last MaxPool): report the most specific name first.
  for (const [path, node] of lastNodeOfModule) {
    const t = node.outputs[0];
    const prev = moduleOfTensor.get(t);
    if (!prev || path.length > prev.length) moduleOfTensor.set(t, path);
  }
  for (const node of model.nodes) {
    const skipOp = NON_FEATURE_OPS.has(node.opType);
    for (const t of node.outputs) {
      if (!t || byTensor.has(t) || (skipOp && !included.has(t))) continue;
      byTensor.set(t, {
        tensor: t,
        modulePath: moduleOfTensor.get(t) ?? null,
        op: node.opType,
        node: node.name,
      });
    }
  }
  return [...byTensor.values()];
}

/** All module paths (including outer ones such as `features`) mapped to their output tensor. */
export function moduleOutputs(model: OnnxModelInfo): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of model.nodes) {
    if (NON_FEATURE_OPS.has(node.opType) || node.outputs.length === 0) continue;
    for (const p of modulePathsOfNode(node.name)) out.set(p, node.outputs[0]);
  }
  return out;
}

/**
 * Ops between the final classification layer and the output: softmax, reshapes, and the ReLU + global
 * pooling that follow a 1x1-conv classifier (SqueezeNet's `classifier`: Dropout, Conv, ReLU, AdaptiveAvgPool).
 */
const PASS_THROUGH_OPS = new Set([
  'Softmax',
  'LogSoftmax',
  'Identity',
  'Reshape',
  'Flatten',
  'Squeeze',
  'Cast',
  'Dropout',
  'Relu',
  'GlobalAveragePool',
  'AveragePool',
  'ReduceMean',
]);

/**
 * The input of the final classification layer producing `logitsName`: walks back through
 * softmax/reshape/pooling ops to the last Gemm, MatMul (+ Add bias) or Conv and returns its data input.
 * Returns null when the graph does not end in such a layer.
 */
export function defaultFeatureTensor(model: OnnxModelInfo, logitsName: string): string | null {
  const producer = new Map<string, OnnxNode>();
  for (const n of model.nodes) for (const o of n.outputs) producer.set(o, n);
  let name = logitsName;
  for (let hops = 0; hops < 8; hops++) {
    const node = producer.get(name);
    if (!node) return null;
    if (node.opType === 'Gemm' || node.opType === 'MatMul' || node.opType === 'Conv') return node.inputs[0];
    if (node.opType === 'Add') {
      // MatMul + Add(bias): continue through the non-initializer input.
      const data = node.inputs.find((i) => !model.initializers.has(i) && producer.has(i));
      if (!data) return null;
      name = data;
      continue;
    }
    if (PASS_THROUGH_OPS.has(node.opType)) {
      name = node.inputs[0];
      continue;
    }
    return null;
  }
  return null;
}

export interface ResolvedLayer {
  tensor: string;
  /** How the name was matched. */
  matchedAs: 'module' | 'tensor' | 'node' | 'default';
  modulePath: string | null;
}

/** Resolves a user's `--layer` (module path, tensor name or node name); null if nothing matches. */
export function resolveLayerName(model: OnnxModelInfo, name: string): ResolvedLayer | null {
  const modules = moduleOutputs(model);
  const m = modules.get(name);
  if (m) return { tensor: m, matchedAs: 'module', modulePath: name };
  const tensors = new Set<string>(model.inputs.map((i) => i.name));
  for (const n of model.nodes) for (const o of n.outputs) tensors.add(o);
  if (tensors.has(name))
    return { tensor: name, matchedAs: 'tensor', modulePath: moduleOfTensor(modules, name) };
  const node = model.nodes.find((n) => n.name === name && n.outputs.length > 0);
  if (node)
    return {
      tensor: node.outputs[0],
      matchedAs: 'node',
      modulePath: moduleOfTensor(modules, node.outputs[0]),
    };
  return null;
}

function moduleOfTensor(modules: Map<string, string>, tensor: string): string | null {
  let best: string | null = null;
  for (const [p, t] of modules) if (t === tensor && (!best || p.length > best.length)) best = p;
  return best;
}

/** The `count` names closest to `name` (edit distance) among module paths and tensors. */
export function closestLayerNames(model: OnnxModelInfo, name: string, count = 5): string[] {
  const pool = new Set<string>(moduleOutputs(model).keys());
  for (const c of listLayerCandidates(model)) pool.add(c.tensor);
  const lower = name.toLowerCase();
  return [...pool]
    .map((p) => ({ p, score: editDistance(lower, p.toLowerCase()) }))
    .sort((a, b) => a.score - b.score || a.p.length - b.p.length || a.p.localeCompare(b.p))
    .slice(0, count)
    .map((x) => x.p);
}

/** Levenshtein distance, two-row dynamic programming. */
export function editDistance(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
