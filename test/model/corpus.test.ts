/**
 * The export corpus (scripts/python/export_corpus.py): every architecture, run through featscope's model
 * layer on the committed input batch (so preprocessing is out of the equation), must give PyTorch's
 * probabilities and features within 1e-5, pick the input of the final classifier as the default layer,
 * and let --output choose the head of a two-output model.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeNpy } from '../../src/io/npy.js';
import { modulePathsOfNode } from '../../src/model/layers.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { resolveClassificationOutput } from '../../src/model/output-kind.js';
import { ModelRunner, readModelFile, resolveFeatureLayer } from '../../src/model/session.js';
import { scoresToProbabilities } from '../../src/model/softmax.js';

const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
/** Largest |featscope - PyTorch| allowed for probabilities and features (the bound). */
const TOLERANCE = 1e-5;

interface CorpusOutput {
  name: string;
  kind: 'logits' | 'probabilities' | 'log-probabilities';
  classes: number;
  probabilities: number[];
  classifier: string;
  features: number[];
}

interface CorpusEntry {
  name: string;
  architecture: string;
  input: string;
  input_shape: number[];
  outputs: CorpusOutput[];
  layer: { module: string; dtype: string; features: number[] };
}

/**
 * How featscope names each entry's default layer (per output): the module path of the tensor that feeds
 * the final classifier, or the ONNX tensor name where that tensor is a functional op's output outside any
 * module (`F.relu`, `torch.flatten`).
 */
const DEFAULT_LAYER_NAMES: Record<string, string[]> = {
  dann: ['class_classifier.c_relu2', 'domain_classifier.d_relu1'],
  'view-size': ['/Relu_2_output_0'],
  'softmax-head': ['/Relu_2_output_0'],
  'logsoftmax-head': ['/Relu_2_output_0'],
  'channels-last': ['/body/Relu_2_output_0'],
  'channels-first': ['/Relu_2_output_0'],
  'float64-inside': ['/Cast_output_0'],
  resnet18: ['/Flatten_output_0'],
  'mobilenet-v3-small': ['classifier.1'],
  'mobilenet-v2': ['/Flatten_output_0'],
  vgg11: ['classifier.4'],
  squeezenet: ['features.12'],
  vit: ['/Gather_4_output_0'],
};

const entries = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as CorpusEntry);

function maxAbsDiff(got: Float32Array, want: number[]): number {
  assert.equal(got.length, want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

/** The committed input batch in NCHW order (what the runner takes; it transposes back for NHWC models). */
function inputBatch(e: CorpusEntry, layout: 'nchw' | 'nhwc'): { data: Float32Array; dims: number[] } {
  const a = decodeNpy(readFileSync(join(CORPUS, e.input)), e.input, 4);
  assert.deepEqual(a.shape, e.input_shape);
  if (layout === 'nchw') return { data: a.data, dims: a.shape };
  const [b, h, w, c] = a.shape;
  const data = new Float32Array(a.data.length);
  for (let i = 0; i < b; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++)
          data[((i * c + k) * h + y) * w + x] = a.data[((i * h + y) * w + x) * c + k];
  return { data, dims: [b, c, h, w] };
}

/** Runs the batch with `featureTensor` exposed; returns probabilities as featscope computes them, and features. */
async function runEntry(e: CorpusEntry, featureTensor: string, output: string | null) {
  const path = join(CORPUS, `${e.name}.onnx`);
  const { bytes, info } = await readModelFile(path);
  const runner = await ModelRunner.create(bytes, info, path, featureTensor, { output, threads: 1 });
  try {
    const { data, dims } = inputBatch(e, runner.input.layout);
    const [b, c, h, w] = dims;
    const r = await runner.run(data, b, c, h, w);
    const probs = new Float32Array(b * r.numClasses);
    assert.ok(runner.output.kind, `${e.name}: the graph tells what "${runner.output.name}" holds`);
    scoresToProbabilities(runner.output.kind, r.scores, b, r.numClasses, probs);
    return { probs, features: r.features, kind: runner.output.kind, layout: runner.input.layout };
  } finally {
    await runner.release();
  }
}

test('the corpus holds every architecture the issue names', () => {
  assert.deepEqual(entries.map((e) => e.name).sort(), Object.keys(DEFAULT_LAYER_NAMES).sort());
});

for (const e of entries) {
  test(`${e.name} (${e.architecture}): probabilities and features equal PyTorch's`, async (t) => {
    const path = join(CORPUS, `${e.name}.onnx`);
    const info = parseOnnxModel(readFileSync(path));
    assert.equal(resolveClassificationOutput(info, null, path).name, e.outputs[0].name, 'default output');
    const rows: string[] = [];
    for (const [i, o] of e.outputs.entries()) {
      const layer = resolveFeatureLayer(info, null, path, o.name);
      // The default layer is the data input of the final classifier module's node.
      const classifier = info.nodes.filter((n) => modulePathsOfNode(n.name).includes(o.classifier));
      assert.ok(classifier.length > 0, `${o.classifier} is in the graph`);
      assert.equal(layer.tensor, classifier[classifier.length - 1].inputs[0], `${o.name}: default layer`);
      assert.equal(layer.modulePath ?? layer.tensor, DEFAULT_LAYER_NAMES[e.name][i], `${o.name}: its name`);
      const r = await runEntry(e, layer.tensor, o.name);
      assert.equal(r.kind, o.kind, `${o.name}: output kind`);
      assert.equal(r.probs.length, (o.probabilities.length / o.classes) * o.classes);
      const dp = maxAbsDiff(r.probs, o.probabilities);
      const df = maxAbsDiff(r.features, o.features);
      assert.ok(dp <= TOLERANCE, `${o.name}: probabilities differ by ${dp}`);
      assert.ok(df <= TOLERANCE, `${o.name}: default-layer features differ by ${df}`);
      rows.push(
        `output ${o.name} (${o.kind}): max|dp| ${dp.toExponential(2)}, default layer max|df| ${df.toExponential(2)}`,
      );
    }
    const named = resolveFeatureLayer(info, e.layer.module, path);
    assert.equal(named.matchedAs, 'module');
    const r = await runEntry(e, named.tensor, null);
    const dl = maxAbsDiff(r.features, e.layer.features);
    assert.ok(dl <= TOLERANCE, `${e.layer.module}: features differ by ${dl}`);
    rows.push(`layer ${e.layer.module} (${e.layer.dtype}): max|df| ${dl.toExponential(2)}`);
    t.diagnostic(`${e.name}: ${rows.join('; ')}`);
  });
}

test('--output picks the head of a two-output model; an unknown name lists the outputs', async () => {
  const dann = entries.find((e) => e.name === 'dann')!;
  const path = join(CORPUS, 'dann.onnx');
  const [cls, dom] = dann.outputs;
  const byDefault = await runEntry(
    dann,
    resolveFeatureLayer(parseOnnxModel(readFileSync(path)), null, path).tensor,
    null,
  );
  assert.equal(byDefault.probs.length, 2 * cls.classes);
  assert.ok(maxAbsDiff(byDefault.probs, cls.probabilities) <= TOLERANCE);
  const info = parseOnnxModel(readFileSync(path));
  const domain = await runEntry(dann, resolveFeatureLayer(info, null, path, dom.name).tensor, dom.name);
  assert.equal(domain.probs.length, 2 * 2);
  assert.ok(maxAbsDiff(domain.probs, dom.probabilities) <= TOLERANCE);
  assert.throws(
    () => resolveClassificationOutput(info, 'logits', path),
    /has no output "logits"; its outputs are "class_output", "domain_output"/,
  );
});
