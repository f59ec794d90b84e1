/**
 * End to end (docs/architecture.md section 5): `featscope run` (built CLI, 2D + 3D t-SNE, every output)
 * against the Python recipe it replaces (bench/e2e/recipe.py: ImageFolder + batch-1 PyTorch twice,
 * scikit-learn TSNE 2D and 3D, seaborn + plotly), on the same ImageFolder tree, in one run. Each process
 * is measured from outside with GNU time (wall seconds, peak RSS); the per-stage seconds come from
 * featscope's run.json `stages` and the recipe's JSON line. Target: featscope at least 3x faster.
 *
 *   npm run build && npx tsx bench/data/prepare.ts --skip-classify     # once: bench/.cache/fm10k
 *   npx tsx bench/e2e/run.ts [--n 10000] [--data DIR] [--threads 2] [--recipe-threads T] [--skip-python]
 *                            [--timeout 1800]
 *
 * The seed's workload (`--case vgg16`): torchvision's VGG16 with 100 classes (seeded random weights,
 * exported once by scripts/python/export_vgg16.py into bench/.cache/vgg16-100.onnx, ~540 MB) over
 * --n JPEG photos of 400-640 px (bench/data/photos.ts), features from `classifier.4`; the recipe runs
 * the same model in PyTorch (recipe.py --model vgg16). Target: 4x. --batch-size and --decode-threads
 * are passed to featscope when given.
 *
 *   npx tsx bench/e2e/run.ts --case vgg16 [--n 200] [--batch-size B] [--decode-threads D]
 *
 * --n below the folder's size uses a subset tree of N images spread evenly over it (made once in
 * bench/.cache/, hard-linked), so both tools see the very same files. Outputs go to
 * bench/.cache/e2e/{featscope,recipe}-<N>/; the table is printed and saved to bench/out/e2e-<time>.json.
 * The machine's load average is recorded before and after each process (other jobs skew timings).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEBIAN_PHOTOS, makePhotoSet, photoSetPath } from '../data/photos.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';
import { formatTable } from '../lib/table.js';
import { gnuTimeAvailable, loadAverage, type Measured, runMeasured } from './measure.js';
import { comparePhases, type StageSeconds } from './phases.js';
import { imageFolderFiles, makeSubset } from './subset.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FASHION_MODEL = join(ROOT, 'examples', 'fashion-mnist', 'model.onnx');
const VGG16_MODEL = join(BENCH_CACHE_DIR, 'vgg16-100.onnx');
const CLI = join(ROOT, 'bin', 'featscope.js');
const PYTHON = '/usr/bin/python3';
const RECIPE = join(ROOT, 'bench', 'e2e', 'recipe.py');
/** docs/architecture.md section 2: what `featscope run` with --dims 2,3 must leave in the output folder. */
const FEATSCOPE_OUTPUTS = [
  'predictions.csv',
  'features.npy',
  'tsne-2d.csv',
  'tsne-3d.csv',
  'tsne-2d.png',
  'tsne-2d.svg',
  'tsne-2d.pdf',
  'tsne-2d.html',
  'tsne-3d.html',
  'index.html',
  'run.json',
];
const TARGET_RATIO = { fashion: 3, vgg16: 4 };

interface Side {
  tool: string;
  measured: Measured | null;
  stages: StageSeconds;
  n: number | null;
  accuracy: number | null;
  loadBefore: string;
  loadAfter: string;
  note: string;
}

/** A side just measured; a failed run carries its exit status and output tail as the note. */
function measuredSide(tool: string, m: Measured, loadBefore: string): Side {
  const failed = m.status !== 0;
  return {
    tool,
    measured: m,
    stages: {},
    n: null,
    accuracy: null,
    loadBefore,
    loadAfter: loadAverage(),
    note: failed
      ? `failed (exit ${m.status}${m.signal ? `, ${m.signal}` : ''}): ${tail(m.stderr || m.stdout)}`
      : '',
  };
}

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    data: { type: 'string', default: join(BENCH_CACHE_DIR, 'fm10k') },
    threads: { type: 'string', default: String(availableParallelism()) },
    'recipe-threads': { type: 'string' },
    'skip-python': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1800' },
    case: { type: 'string', default: 'fashion' },
    'batch-size': { type: 'string' },
    'decode-threads': { type: 'string' },
  },
});
const benchCase = values.case as 'fashion' | 'vgg16';
if (benchCase !== 'fashion' && benchCase !== 'vgg16')
  fail(`--case must be fashion or vgg16, got ${values.case}`);
const MODEL = benchCase === 'vgg16' ? VGG16_MODEL : FASHION_MODEL;
if (benchCase === 'vgg16') {
  values.n = values.n === '10000' ? '200' : values.n;
  if (!values.data || values.data === join(BENCH_CACHE_DIR, 'fm10k')) {
    const n = Number(values.n);
    values.data = await makePhotoSet({
      out: photoSetPath(n, 400, 640),
      n,
      classes: 10,
      minSide: 400,
      maxSide: 640,
      seed: 0,
      sources: DEBIAN_PHOTOS,
    });
  }
  if (!existsSync(VGG16_MODEL)) {
    console.log(`exporting VGG16 (100 classes) to ${VGG16_MODEL} (1-3 minutes)...`);
    const r = spawnSync(
      PYTHON,
      [join(ROOT, 'scripts/python/export_vgg16.py'), '--num-classes', '100', '--onnx', VGG16_MODEL],
      { encoding: 'utf8', cwd: ROOT },
    );
    if (!existsSync(VGG16_MODEL)) fail(`exporting VGG16 failed: ${tail(r.stderr)}`);
  }
}
const threads = Number(values.threads);
// Same thread count for both by default; batch-1 PyTorch can be faster with 1 thread on a loaded machine.
const recipeThreads = Number(values['recipe-threads'] ?? threads);
const timeoutSeconds = Number(values.timeout);
const wanted = Number(values.n);
if (!Number.isInteger(wanted) || wanted < 10)
  throw new Error(`--n must be an integer >= 10, got ${values.n}`);
if (!existsSync(values.data!))
  fail(
    `no data at ${values.data}: run \`npx tsx bench/data/prepare.ts --skip-classify\` first (writes bench/.cache/fm10k)`,
  );
if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
  fail('the featscope CLI is not built: run `npm run build` first');
warnIfStale();
if (!gnuTimeAvailable())
  console.log('note: GNU time (/usr/bin/time) not found: peak memory is not measured (apt-get install time)');

const available = imageFolderFiles(values.data!).length;
let data = values.data!;
if (wanted < available) {
  data = join(BENCH_CACHE_DIR, `e2e-data-${wanted}`);
  makeSubset(values.data!, data, wanted);
}
const n = imageFolderFiles(data).length;
const outRoot = join(BENCH_CACHE_DIR, 'e2e');
mkdirSync(outRoot, { recursive: true });
console.log(
  `end to end on ${n} images of ${data}, ${threads} threads (recipe: ${recipeThreads}) (load ${loadAverage()})\n`,
);

const featscope = await runFeatscope(join(outRoot, `${benchCase === 'vgg16' ? 'vgg16-' : ''}featscope-${n}`));
const recipe = values['skip-python']
  ? skipped('--skip-python given')
  : (pythonMissing() ??
    (await runRecipe(join(outRoot, `${benchCase === 'vgg16' ? 'vgg16-' : ''}recipe-${n}`))));
report(featscope, recipe);

async function runFeatscope(out: string): Promise<Side> {
  const args = [
    CLI,
    'run',
    '--model',
    MODEL,
    '--data',
    data,
    '--out',
    out,
    '--dims',
    '2,3',
    '--threads',
    String(threads),
    '--force',
    ...(benchCase === 'vgg16' ? ['--layer', 'classifier.4'] : []),
    ...(values['batch-size'] ? ['--batch-size', values['batch-size']] : []),
    ...(values['decode-threads'] ? ['--decode-threads', values['decode-threads']] : []),
  ];
  console.log(`featscope: node ${args.map(rel).join(' ')}`);
  const loadBefore = loadAverage();
  const m = await runMeasured(process.execPath, args, {
    cwd: ROOT,
    echoStderrPrefix: '  featscope | ',
    timeoutSeconds,
  });
  const side = measuredSide('featscope', m, loadBefore);
  if (m.status !== 0) return side;
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
  side.stages = numericRecord(manifest.stages);
  side.n = findNumber(manifest, ['n', 'data.n', 'data.count', 'summary.n']);
  side.accuracy = findNumber(manifest, [
    'metrics.accuracy',
    'accuracy',
    'summary.accuracy',
    'metrics.top1Accuracy',
  ]);
  const missing = FEATSCOPE_OUTPUTS.filter((f) => !existsSync(join(out, f)));
  side.note = missing.length
    ? `MISSING outputs: ${missing.join(', ')}`
    : `all ${FEATSCOPE_OUTPUTS.length} outputs written`;
  return side;
}

async function runRecipe(out: string): Promise<Side> {
  const args = [RECIPE, '--data', data, '--out', out, '--threads', String(recipeThreads)];
  if (benchCase === 'vgg16') args.push('--model', 'vgg16', '--num-classes', '100');
  console.log(`\nrecipe: ${PYTHON} ${args.map(rel).join(' ')}`);
  const loadBefore = loadAverage();
  const m = await runMeasured(PYTHON, args, { cwd: ROOT, echoStderrPrefix: '  recipe | ', timeoutSeconds });
  const side = measuredSide('Python recipe', m, loadBefore);
  if (m.status !== 0) return side;
  const j = JSON.parse(m.stdout.trim().split('\n').pop() ?? '{}') as {
    n: number;
    accuracy: number;
    stages: StageSeconds;
    versions: Record<string, string>;
  };
  side.stages = j.stages;
  side.n = j.n;
  side.accuracy = j.accuracy;
  side.note = Object.entries(j.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return side;
}

function report(a: Side, b: Side): void {
  const wall = (s: Side) => s.measured?.wallSeconds ?? null;
  const rows = comparePhases(a.stages, wall(a), b.stages, wall(b));
  const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  const ratio = (x: number | null, y: number | null) => (x && y ? (y / x).toFixed(1) : '-');
  console.log('\nStage by stage (seconds; "x" = recipe / featscope, above 1: featscope is faster)');
  console.log(
    formatTable(
      ['stage', 'featscope', 'recipe', 'x', 'featscope stages', 'recipe stages'],
      [
        ...rows.map((r) => [
          r.phase,
          fmt(r.a),
          fmt(r.b),
          ratio(r.a, r.b),
          r.aStages.join(', '),
          r.bStages.join(', '),
        ]),
        ['total (wall, measured outside)', fmt(wall(a)), fmt(wall(b)), ratio(wall(a), wall(b)), '', ''],
      ],
    ),
  );
  console.log('\nProcesses');
  console.log(
    formatTable(
      [
        'tool',
        'images',
        'top-1 acc',
        'wall s',
        'user s',
        'sys s',
        'peak RSS MB',
        'load before',
        'load after',
        'note',
      ],
      [a, b].map((s) => [
        s.tool,
        s.n === null ? '-' : String(s.n),
        s.accuracy === null ? '-' : s.accuracy.toFixed(4),
        fmt(wall(s)),
        fmt(s.measured?.userSeconds ?? null),
        fmt(s.measured?.systemSeconds ?? null),
        s.measured?.peakRssMb == null ? '-' : s.measured.peakRssMb.toFixed(0),
        s.loadBefore,
        s.loadAfter,
        s.note,
      ]),
    ),
  );
  const wa = wall(a);
  const wb = wall(b);
  const ok = a.measured?.status === 0 && b.measured?.status === 0 && wa !== null && wb !== null;
  if (ok)
    console.log(
      `\nfeatscope is ${(wb / wa).toFixed(2)}x faster end to end (target >= ${TARGET_RATIO[benchCase]}x: ${wb / wa >= TARGET_RATIO[benchCase] ? 'met' : 'NOT met'})`,
    );
  else console.log(`\nno ratio: ${b.measured ? 'a process failed' : `Python peer skipped (${b.note})`}`);
  const outDir = join(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const record = (s: Side) => ({
    tool: s.tool,
    n: s.n,
    accuracy: s.accuracy,
    wallSeconds: wall(s),
    userSeconds: s.measured?.userSeconds ?? null,
    systemSeconds: s.measured?.systemSeconds ?? null,
    peakRssMb: s.measured?.peakRssMb ?? null,
    exit: s.measured?.status ?? null,
    stages: s.stages,
    loadBefore: s.loadBefore,
    loadAfter: s.loadAfter,
    note: s.note,
  });
  writeFileSync(
    file,
    `${JSON.stringify({ case: benchCase, data, n, threads, recipeThreads, date: new Date().toISOString(), ratio: ok ? wb / wa : null, phases: rows, featscope: record(a), recipe: record(b) }, null, 2)}\n`,
  );
  console.log(`results: ${rel(file)}`);
  if (a.measured?.status !== 0) process.exitCode = 1;
}

/** The Python peer needs Debian's torch, torchvision, sklearn and plotting packages. */
function pythonMissing(): Side | null {
  const mods = 'torch, torchvision, sklearn, matplotlib, seaborn, plotly, pandas';
  const r = spawnSync(PYTHON, ['-c', `import ${mods}`], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const why = r.error ? `${PYTHON} not found` : tail(r.stderr);
  const msg = `Python recipe skipped: ${PYTHON} cannot import ${mods} (${why}); apt-get install python3-torch python3-torchvision python3-sklearn python3-matplotlib python3-seaborn python3-plotly python3-pandas`;
  console.log(`\n${msg}`);
  return skipped(msg);
}

function skipped(note: string): Side {
  return {
    tool: 'Python recipe',
    measured: null,
    stages: {},
    n: null,
    accuracy: null,
    loadBefore: '-',
    loadAfter: '-',
    note: `skipped: ${note}`,
  };
}

/** dist/ older than the newest file in src/ means the CLI we time is not the code in the tree. */
function warnIfStale(): void {
  const built = statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs;
  const r = spawnSync(
    'find',
    [join(ROOT, 'src'), '-name', '*.ts', '-newermm', join(ROOT, 'dist', 'cli', 'main.js')],
    { encoding: 'utf8' },
  );
  const newer = r.stdout.trim().split('\n').filter(Boolean);
  if (newer.length)
    console.log(
      `note: ${newer.length} file(s) in src/ are newer than the build (${new Date(built).toISOString()}); run \`npm run build\` to time the current code`,
    );
}

function numericRecord(x: unknown): StageSeconds {
  const out: StageSeconds = {};
  if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/** First numeric value at any of the dotted paths (run.json's layout belongs to the pipeline, not to us). */
function findNumber(obj: Record<string, unknown>, paths: string[]): number | null {
  for (const p of paths) {
    let cur: unknown = obj;
    for (const key of p.split('.'))
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    if (typeof cur === 'number') return cur;
  }
  return null;
}

function rel(p: string): string {
  return p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p;
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-3).join(' / ').slice(-400);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
