/**
 * The bundled model over the bundled data equals PyTorch: probabilities and penultimate features of
 * reference images within 1e-4, ImageFolder order and indices as torchvision's, accuracy as PyTorch's
 * (reference from scripts/python/make_fixtures.py, torch 1.13 / torchvision 0.14).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanImageFolder } from '../../src/dataset/image-folder.js';
import { CLASSIFY_DEFAULTS, classify } from '../../src/pipeline/classify.js';
import { EXAMPLE } from '../helpers/example-subset.js';

interface RefImage {
  path: string;
  label_id: number;
  pred_id: number;
  probabilities: number[];
  features: number[];
}
const ref = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'fashion-parity.json'), 'utf8'),
) as {
  image_folder: {
    classes: string[];
    num_samples: number;
    first_samples: [string, number][];
    last_samples: [string, number][];
  };
  model_classes: string[];
  accuracy_all: number;
  images: RefImage[];
};

test('ImageFolder scan of the example equals torchvision', async () => {
  const ds = await scanImageFolder(join(EXAMPLE, 'data'));
  assert.deepEqual(ds.folders, ref.image_folder.classes);
  assert.equal(ds.items.length, ref.image_folder.num_samples);
  assert.deepEqual(
    ds.items.slice(0, 5).map((it) => [it.path, it.labelId]),
    ref.image_folder.first_samples,
  );
  assert.deepEqual(
    ds.items.slice(-5).map((it) => [it.path, it.labelId]),
    ref.image_folder.last_samples,
  );
});

test('probabilities and features equal PyTorch within 1e-4; accuracy equals PyTorch', async () => {
  const r = await classify({
    ...CLASSIFY_DEFAULTS,
    model: join(EXAMPLE, 'model.onnx'),
    data: join(EXAMPLE, 'data'),
    classes: join(EXAMPLE, 'classes.json'),
    layer: 'classifier.1',
    threads: 2,
    executionProvider: 'cpu',
    preprocess: { preset: 'grayscale', mean: [0.286], std: [0.353] },
  });
  assert.deepEqual(r.classes, ref.model_classes);
  assert.equal(r.featureDim, 128);
  const C = r.classes.length;
  for (const im of ref.images) {
    const i = r.paths.indexOf(im.path);
    assert.ok(i >= 0, im.path);
    assert.equal(r.labelIds[i], im.label_id);
    assert.equal(r.topIds[i * r.k], im.pred_id);
    im.probabilities.forEach((p, c) =>
      assert.ok(Math.abs(r.probs[i * C + c] - p) < 1e-4, `${im.path} p[${c}]`),
    );
    im.features.forEach((f, j) =>
      assert.ok(Math.abs(r.features[i * 128 + j] - f) < 1e-4, `${im.path} f[${j}]`),
    );
  }
  const correct = r.labelIds.reduce((a, l, i) => a + (l === r.topIds[i * r.k] ? 1 : 0), 0);
  assert.equal(correct / r.paths.length, ref.accuracy_all);
});
