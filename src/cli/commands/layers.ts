import { probeTensorShapes } from '../../model/layer-shapes.js';
import { listLayerCandidates } from '../../model/layers.js';
import { describeInput, readModelFile, resolveFeatureLayer } from '../../model/session.js';
import { resolvePreprocess } from '../../preprocess/options.js';
import { preprocessOptionsFrom } from '../inference-options.js';
import type { ParsedValues } from '../parse.js';
import type { CommandContext } from './context.js';

/** `featscope layers`: candidate feature tensors with module paths, ops and shapes; marks the default. */
export async function layersCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const path = v.model as string;
  const { bytes, info } = await readModelFile(path);
  const input = describeInput(info, path);
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
  const candidates = listLayerCandidates(info);
  const shapes = await probeTensorShapes(
    bytes,
    info,
    input,
    candidates.map((c) => c.tensor),
    size,
  );
  let defaultTensor: string | null = null;
  try {
    defaultTensor = resolveFeatureLayer(info, null, path).tensor;
  } catch {
    defaultTensor = null;
  }
  const rows = candidates.map((c) => [
    c.tensor === defaultTensor ? '*' : ' ',
    c.modulePath ?? '-',
    c.op,
    shapes.has(c.tensor) ? `[${shapes.get(c.tensor)!.join(', ')}]` : '?',
    c.tensor,
  ]);
  const header = [' ', 'module path', 'op', 'shape', 'ONNX tensor'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  ctx.log(
    [
      `${path}: input "${input.name}" [${input.shape.map((d) => d ?? '?').join(', ')}], output "${info.outputs[0]?.name}", opset ${info.opset}`,
      `shapes from one pass of a ${size.channels}x${size.height}x${size.width} zero image; * = default feature layer (input of the final classifier)`,
      '',
      line(header),
      ...rows.map(line),
      '',
      'Pass --layer with a module path (e.g. classifier.4) or an ONNX tensor name.',
    ].join('\n'),
  );
  return 0;
}
