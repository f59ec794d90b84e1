/**
 * Compares featscope's features.npy with reference features from torchvision's
 * create_feature_extractor (scripts/python/export_vgg16.py writes the reference JSON):
 *
 *   /usr/bin/python3 scripts/python/export_vgg16.py            # /tmp/vgg16.onnx, photos, reference
 *   npx featscope classify --model /tmp/vgg16.onnx --data /tmp/vgg16-photos --layer classifier.4 --out /tmp/vggout
 *   npx tsx scripts/compare-features.ts /tmp/vgg16-reference.json /tmp/vggout
 *
 * Prints the cosine similarity and max |difference| per image; exits 1 if any cosine < 0.999.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from '../src/io/csv.js';
import { decodeNpyMatrix } from '../src/io/npy.js';

const [refFile, outDir] = process.argv.slice(2);
if (!refFile || !outDir) {
  console.error('usage: npx tsx scripts/compare-features.ts REFERENCE.json RUN_DIR');
  process.exit(2);
}
const ref = JSON.parse(readFileSync(refFile, 'utf8')) as {
  images: { path: string; mode: string; size: number[]; features: number[] }[];
};
const f = decodeNpyMatrix(readFileSync(join(outDir, 'features.npy')));
const paths = parseCsvRecords(readFileSync(join(outDir, 'predictions.csv'), 'utf8')).records.map(
  (r) => r.path,
);
let worst = 1;
for (const im of ref.images) {
  const row = paths.indexOf(im.path);
  if (row < 0) throw new Error(`${im.path} is not in ${outDir}/predictions.csv`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxDiff = 0;
  im.features.forEach((a, k) => {
    const b = f.data[row * f.cols + k];
    dot += a * b;
    na += a * a;
    nb += b * b;
    maxDiff = Math.max(maxDiff, Math.abs(a - b));
  });
  const cos = dot / Math.sqrt(na * nb);
  worst = Math.min(worst, cos);
  console.log(
    `${im.path.padEnd(32)} ${im.mode.padEnd(5)} ${im.size.join('x').padEnd(8)} cosine ${cos.toFixed(7)}  max|diff| ${maxDiff.toExponential(2)}`,
  );
}
console.log(`lowest cosine ${worst.toFixed(7)} over ${ref.images.length} images`);
process.exitCode = worst >= 0.999 ? 0 : 1;
