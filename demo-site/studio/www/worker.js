// The mining worker: loads the studio's own wasm and runs `mineOrders` off the page's
// thread, posting ['progress', phase, done, total], then ['done', json] or ['error', msg].
import init, { mineOrders } from './cartlift_studio.js';

const ready = init();

self.onmessage = async (event) => {
  const [bytes, settings] = event.data;
  try {
    await ready;
    const json = mineOrders(new Uint8Array(bytes), settings, (phase, done, total) => {
      self.postMessage(['progress', phase, done, total]);
    });
    self.postMessage(['done', json]);
  } catch (err) {
    self.postMessage(['error', String((err && err.message) || err)]);
  }
};
