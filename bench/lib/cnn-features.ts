/**
 * The benchmark's real target features (docs/architecture.md section 5): penultimate-layer features of the bundled
 * demo CNN (examples/fashion-mnist/model.onnx) over all 70k Fashion-MNIST images, computed straight
 * from the IDX pixels with the model's documented preprocessing (pixel / 255, then
 * (x - 0.2860) / 0.3530; model-card.md) through featscope's own ModelRunner: the same model, layer and
 * normalisation `featscope classify` uses, without first writing 70k image files to disk (not checked
 * here to be bit-identical to classify's output on PNG files).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRunner, readModelFile, resolveFeatureLayer } from '../../src/model/session.js';
import { loadFashionMnist } from './fashion-mnist.js';

export const DEMO_MODEL = join(import.meta.dirname, '..', '..', 'examples', 'fashion-mnist', 'model.onnx');
/** Normalisation of the demo model (examples/fashion-mnist/model-card.md). */
const MEAN = 0.286;
const STD = 0.353;
const BATCH = 256;

export function demoModelAvailable(): boolean {
  return existsSync(DEMO_MODEL);
}

/** The demo model on the CPU, all threads, returning its default feature layer. */
export async function demoModelRunner(): Promise<ModelRunner> {
  const { bytes, info } = await readModelFile(DEMO_MODEL);
  const layer = resolveFeatureLayer(info, null, DEMO_MODEL);
  return ModelRunner.create(bytes, info, DEMO_MODEL, layer.tensor, {
    layer: null,
    threads: 'auto',
    executionProvider: 'cpu',
  });
}

export async function demoCnnFeatures(): Promise<{
  features: Float32Array;
  labels: Int32Array;
  n: number;
  d: number;
}> {
  const { pixels, labels, n } = loadFashionMnist();
  const runner = await demoModelRunner();
  let features: Float32Array | null = null;
  let d = 0;
  const batch = new Float32Array(BATCH * 784);
  for (let start = 0; start < n; start += BATCH) {
    const b = Math.min(BATCH, n - start);
    for (let i = 0; i < b * 784; i++) batch[i] = (pixels[start * 784 + i] - MEAN) / STD;
    const out = await runner.run(batch.subarray(0, b * 784), b, 1, 28, 28);
    if (!features) {
      d = out.featureDim;
      features = new Float32Array(n * d);
    }
    features.set(out.features.subarray(0, b * d), start * d);
  }
  return { features: features!, labels, n, d };
}
