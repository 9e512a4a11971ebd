// The peer of `convzoo classify` in scripts/bench-classify.ts: the least a user could write with onnxruntime-node
// and sharp alone (decode, resize, Keras 'caffe' preprocessing, one session, one run, the top class). Prints its
// time since process start and peak RSS as JSON.
// Usage: node bare-session.mjs MODEL.onnx PHOTO
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const [model, photo] = process.argv.slice(2);
const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
const { data } = await sharp(photo).removeAlpha().resize(224, 224, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
const x = new Float32Array(224 * 224 * 3);
const mean = [103.939, 116.779, 123.68];
for (let i = 0; i < 224 * 224; i++) for (let c = 0; c < 3; c++) x[i * 3 + c] = data[i * 3 + (2 - c)] - mean[c];
const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 224, 224, 3]) });
const probs = out[session.outputNames[0]].data;
let top = 0;
for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i;
console.log(JSON.stringify({ top, ms: performance.now(), maxRssKiB: process.resourceUsage().maxRSS }));
