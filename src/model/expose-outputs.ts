/**
 * Graph surgery: make inner tensors graph outputs so that one forward pass yields logits and features.
 *
 * Protobuf merges repeated occurrences of an embedded message field, and concatenates repeated fields
 * inside it (protobuf.dev "Last One Wins" / merging rules). So appending a second `graph` field (ModelProto
 * field 7) that holds only new `output` entries (GraphProto field 12) to the original bytes is the same
 * as editing the graph, without decoding or copying the model's weights. ONNX Runtime parses the bytes
 * with the reference protobuf library and sees the extra outputs.
 *
 * The new outputs carry a name and no type: ONNX Runtime infers the type of an untyped graph output from
 * the node that produces it, so an int64 shape tensor (`x.view(x.size(0), -1)` exports a Shape -> Concat
 * chain) is exposed as int64 instead of failing the session's type check, and `outputMetadata` tells
 * each exposed tensor's element type.
 */
import { ProtoWriter } from './protobuf.js';

/** Returns model bytes with `names` appended as graph outputs whose type ONNX Runtime infers. */
export function exposeOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  if (names.length === 0) return model;
  const graph = new ProtoWriter();
  for (const name of names) graph.messageField(12, new ProtoWriter().stringField(1, name));
  const tail = new ProtoWriter().messageField(7, graph).finish();
  const out = new Uint8Array(model.length + tail.length);
  out.set(model, 0);
  out.set(tail, model.length);
  return out;
}
