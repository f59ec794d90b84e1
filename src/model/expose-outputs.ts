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

/** Spare bytes behind a model read into `modelBufferWithRoom`: room for the outputs exposeOutputs appends. */
export const OUTPUT_ROOM_BYTES = 64 * 1024;

/** Buffers made by modelBufferWithRoom: only their spare room may be written (never a pooled Buffer's). */
const withRoom = new WeakSet<ArrayBufferLike>();

/**
 * A buffer for a model file of `size` bytes with OUTPUT_ROOM_BYTES of room behind it, so that
 * exposeOutputs can append to the bytes in place instead of copying the whole model (540 MB for VGG16).
 */
export function modelBufferWithRoom(size: number): Uint8Array {
  const all = new Uint8Array(size + OUTPUT_ROOM_BYTES);
  withRoom.add(all.buffer);
  return all.subarray(0, size);
}

/**
 * Returns model bytes with `names` appended as graph outputs whose type ONNX Runtime infers. For bytes
 * from modelBufferWithRoom the result shares their memory (the outputs are written into the room
 * behind them): it holds until the next exposeOutputs call on the same bytes, which is all a session
 * needs (ONNX Runtime reads the bytes while the session is created). Other bytes are copied.
 */
export function exposeOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  if (names.length === 0) return model;
  const graph = new ProtoWriter();
  for (const name of names) graph.messageField(12, new ProtoWriter().stringField(1, name));
  const tail = new ProtoWriter().messageField(7, graph).finish();
  if (
    withRoom.has(model.buffer) &&
    model.byteOffset + model.length + tail.length <= model.buffer.byteLength
  ) {
    const inPlace = new Uint8Array(model.buffer, model.byteOffset, model.length + tail.length);
    inPlace.set(tail, model.length);
    return inPlace;
  }
  const out = new Uint8Array(model.length + tail.length);
  out.set(model, 0);
  out.set(tail, model.length);
  return out;
}
