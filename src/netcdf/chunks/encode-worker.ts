import { parentPort } from 'node:worker_threads';
import { movable } from '../../threads/transfer.js';
import { encodeSlab } from './slab-encoding.js';
import type { FromEncoder, ToEncoder } from './encoder-pool.js';

/** A chunk-encoding worker: encodes each slab it is sent and sends the stored chunks back (transferred, not copied). */
const port = parentPort;
if (!port) throw new Error('the chunk encoder must run in a worker thread');

port.on('message', (message: ToEncoder) => {
  let reply: FromEncoder;
  try {
    const encoded = encodeSlab(message.task);
    const bytes = movable(encoded.bytes);
    // The slab goes back too (it arrived whole, moved or copied): the writer lends it for a later slab.
    const slab = message.task.slab;
    reply = { id: message.id, bytes, sizes: [...encoded.sizes], slab };
    port.postMessage(reply, [bytes.buffer as ArrayBuffer, slab.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
