import { probeTensors } from '../../model/layer-shapes.js';
import { listLayerCandidates } from '../../model/layers.js';
import { resolveClassificationOutput } from '../../model/output-kind.js';
import { describeInput, readModelFile, resolveFeatureLayer } from '../../model/session.js';
import { isFloatType } from '../../model/tensor-types.js';
import { resolvePreprocess } from '../../preprocess/options.js';
import { layoutOptionFrom, preprocessOptionsFrom } from '../inference-options.js';
import { type ParsedValues, stringOption } from '../parse.js';
import type { CommandContext } from './context.js';

/**
 * `featscope layers`: candidate feature tensors with module paths, ops and shapes; marks the default.
 * Tensors that do not hold floats (shape arithmetic, indices, masks) are never listed.
 */
export async function layersCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const path = v.model as string;
  const { bytes, info } = await readModelFile(path);
  const input = describeInput(info, path, layoutOptionFrom(v));
  const output = resolveClassificationOutput(info, stringOption(v, 'output') ?? null, path);
  // Shapes only need an input size: the model's own, else the preprocessing's crop, else 224.
  let crop: number | null = null;
  try {
    crop = resolvePreprocess(
      preprocessOptionsFrom(v),
      input,
      info.metadata['featscope.preprocess'],
    ).cropHeight;
  } catch {
    crop = null;
  }
  const size = {
    channels: input.channels ?? 3,
    height: input.height ?? crop ?? 224,
    width: input.width ?? crop ?? 224,
  };
  let defaultTensor: string | null = null;
  try {
    defaultTensor = resolveFeatureLayer(info, null, path, output.name).tensor;
  } catch {
    defaultTensor = null;
  }
  const all = listLayerCandidates(info, defaultTensor ? [defaultTensor] : []);
  const probe = await probeTensors(
    bytes,
    info,
    input,
    all.map((c) => c.tensor),
    size,
    path,
  );
  const candidates = all.filter((c) => {
    const type = probe.types.get(c.tensor);
    return type === undefined || type === null || isFloatType(type);
  });
  const rows = candidates.map((c) => [
    c.tensor === defaultTensor ? '*' : ' ',
    c.modulePath ?? '-',
    c.op,
    probe.shapes.has(c.tensor) ? `[${probe.shapes.get(c.tensor)!.join(', ')}]` : '?',
    c.tensor,
  ]);
  const header = [' ', 'module path', 'op', 'shape', 'ONNX tensor'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  const hidden = all.length - candidates.length;
  const shown = (dims: (number | string | null)[]) => `[${dims.map((d) => d ?? '?').join(', ')}]`;
  ctx.log(
    [
      `${path}: input "${input.name}" ${shown(input.shape)} (${input.layout.toUpperCase()}${input.layoutSource === 'assumed' ? ', assumed' : ''}), ` +
        `output "${output.name}" (${output.kind ?? 'judged from its values at classify time'}), opset ${info.opset}`,
      probe.problem
        ? `${probe.problem}; * = default feature layer (input of the final classifier)`
        : `shapes from one pass of a ${input.layout === 'nhwc' ? `${size.height}x${size.width}x${size.channels}` : `${size.channels}x${size.height}x${size.width}`} zero image; * = default feature layer (input of the final classifier)`,
      ...(hidden > 0
        ? [
            `${hidden} ${hidden === 1 ? 'tensor that holds' : 'tensors that hold'} no floats (shape arithmetic, indices, masks) not listed`,
          ]
        : []),
      ...(input.layoutWarning ? [`warning: ${input.layoutWarning}`] : []),
      '',
      line(header),
      ...rows.map(line),
      '',
      'Pass --layer with a module path (e.g. classifier.4) or an ONNX tensor name.',
    ].join('\n'),
  );
  return 0;
}
