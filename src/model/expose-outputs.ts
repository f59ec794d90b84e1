/**
 * Graph surgery: make inner tensors graph outputs so that one forward pass yields logits and features.
 *
 * Protobuf merges repeated occurrences of an embedded message field, and concatenates repeated fields
 * inside it (protobuf.dev "Last One Wins" / merging rules). So appending a second `graph` field (ModelProto
 * field 7) that holds only new `output` entries (GraphProto field 12) to the original bytes is the same
 * as editing the graph, without decoding or copying the model's weights. ONNX Runtime parses the bytes
 * with the reference protobuf library and sees the extra outputs.
 */
import { ProtoWriter } from './protobuf.js';

/** ONNX TensorProto.DataType.FLOAT */
export const ONNX_FLOAT = 1;

/** Returns model bytes with `names` appended as float graph outputs of unknown shape. */
export function exposeOutputs(
  model: Uint8Array,
  names: readonly string[],
  elemType = ONNX_FLOAT,
): Uint8Array {
  if (names.length === 0) return model;
  const graph = new ProtoWriter();
  for (const name of names) {
    const tensorType = new ProtoWriter().varintField(1, elemType);
    const typeProto = new ProtoWriter().messageField(1, tensorType);
    graph.messageField(12, new ProtoWriter().stringField(1, name).messageField(2, typeProto));
  }
  const tail = new ProtoWriter().messageField(7, graph).finish();
  const out = new Uint8Array(model.length + tail.length);
  out.set(model, 0);
  out.set(tail, model.length);
  return out;
}
