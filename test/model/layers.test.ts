import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  closestLayerNames,
  defaultFeatureTensor,
  listLayerCandidates,
  modulePathsOfNode,
  resolveLayerName,
} from '../../src/model/layers.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { tinyCnn } from '../helpers/onnx-builder.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');

test('module paths are recovered from torch.onnx.export scope names', () => {
  assert.deepEqual(modulePathsOfNode('/classifier/classifier.4/Relu'), ['classifier', 'classifier.4']);
  assert.deepEqual(modulePathsOfNode('/layer1/layer1.0/conv1/Conv'), [
    'layer1',
    'layer1.0',
    'layer1.0.conv1',
  ]);
  assert.deepEqual(modulePathsOfNode('/Flatten'), []);
  assert.deepEqual(modulePathsOfNode('Gemm_12'), []);
});

test('torch-exported tiny VGG: module paths, default layer and resolution agree with the exporter', () => {
  const info = parseOnnxModel(readFileSync(join(FIX, 'tiny-vgg.onnx')));
  const ref = JSON.parse(readFileSync(join(FIX, 'tiny-vgg.json'), 'utf8')) as { node_names: string[] };
  assert.deepEqual(
    info.nodes.map((n) => n.name),
    ref.node_names,
  );
  assert.equal(info.inputs.length, 1);
  assert.deepEqual(info.inputs[0].shape, ['batch', 3, 32, 32]);
  const paths = listLayerCandidates(info).map((c) => c.modulePath);
  for (const p of ['features.0', 'features.3', 'classifier.1', 'classifier.4', 'avgpool'])
    assert.ok(paths.includes(p), p);
  assert.equal(defaultFeatureTensor(info, 'logits'), '/classifier/classifier.4/Relu_output_0');
  assert.deepEqual(resolveLayerName(info, 'classifier.4'), {
    tensor: '/classifier/classifier.4/Relu_output_0',
    matchedAs: 'module',
    modulePath: 'classifier.4',
  });
  // An outer module resolves to its last node's output.
  assert.equal(resolveLayerName(info, 'features')?.tensor, '/features/features.5/MaxPool_output_0');
  // ONNX tensor and node names work too.
  assert.equal(resolveLayerName(info, '/Flatten_output_0')?.matchedAs, 'tensor');
  assert.equal(
    resolveLayerName(info, '/classifier/classifier.1/Relu')?.tensor,
    '/classifier/classifier.1/Relu_output_0',
  );
  assert.equal(resolveLayerName(info, 'classifier.9'), null);
  assert.ok(closestLayerNames(info, 'clasifier.4').slice(0, 2).includes('classifier.4'));
});

test('models without scoped names still offer tensors and a default layer', () => {
  const info = parseOnnxModel(tinyCnn({ torchNames: false }).bytes);
  assert.ok(listLayerCandidates(info).every((c) => c.modulePath === null));
  assert.equal(defaultFeatureTensor(info, 'logits'), 'classifier_classifier.1_Relu');
});

test('garbage bytes do not parse as a model', () => {
  assert.throws(() => parseOnnxModel(new TextEncoder().encode('hello, this is not a model')));
});
