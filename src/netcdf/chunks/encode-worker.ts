import { parentPort } from 'node:worker_threads';
import { encodeSlab, slabOutputBound } from './slab-encoding.js';
import type { FromEncoder, ToEncoder } from './encoder-pool.js';

/** A chunk-encoding worker: encodes each slab it is sent and sends the stored chunks back (transferred, not copied). */
const port = parentPort;
if (!port) throw new Error('the chunk encoder must run in a worker thread');

port.on('message', (message: ToEncoder) => {
  let reply: FromEncoder;
  try {
    // The stored chunks go into an output buffer the writer gave back, or a new one, which then travels back and
    // forth between the threads instead of a new buffer per slab.
    const bound = slabOutputBound(message.task);
    const given = message.output && message.output.byteLength >= bound ? message.output : null;
    const output = given ?? new Uint8Array(bound);
    const encoded = encodeSlab(message.task, output);
    // The slab goes back too (it arrived whole, moved or copied): the writer lends it for a later slab.
    const slab = message.task.slab;
    reply = { id: message.id, bytes: encoded.bytes, sizes: [...encoded.sizes], slab };
    port.postMessage(reply, [output.buffer as ArrayBuffer, slab.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
