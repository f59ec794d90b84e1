/**
 * Every command-line option in one declarative table: its type, its help text with the default, and
 * which commands take it. Parsing (parse.ts) and help (help.ts) are driven by this table alone.
 */

export type OptionType = 'string' | 'boolean';

export interface OptionSpec {
  type: OptionType;
  /** Help text; ends with the default where there is one. */
  help: string;
  /** Placeholder shown in help, e.g. FILE. */
  arg?: string;
  /** The option may be given several times; its value is then the list, in command-line order. */
  multiple?: boolean;
}

export const OPTIONS = {
  model: { type: 'string', arg: 'FILE.onnx', help: 'the trained classifier, exported to ONNX' },
  data: {
    type: 'string',
    arg: 'DIR',
    multiple: true,
    help:
      "test set: an ImageFolder (DIR/<class>/<image>), a flat folder of unlabelled images, a CSV list (path[,label]) or torchvision's " +
      'MNIST-family folder; repeat as --data NAME=DIR for several domains in one map',
  },
  split: {
    type: 'string',
    arg: 'train|test',
    help: 'which split of an MNIST-family folder to read (default: test)',
  },
  out: { type: 'string', arg: 'DIR', help: 'output folder (created if missing)' },
  layer: {
    type: 'string',
    arg: 'NAME',
    help: 'feature layer: a PyTorch module path (classifier.4) or an ONNX tensor name (default: input of the final classification layer)',
  },
  output: {
    type: 'string',
    arg: 'NAME',
    help: "the model's output that holds the class scores, for a model with several outputs (default: the first output)",
  },
  layout: {
    type: 'string',
    arg: 'nchw|nhwc|auto',
    help: 'image layout of the model input, when its shape leaves it open (default: auto = from the input shape, else nchw with a warning)',
  },
  classes: {
    type: 'string',
    arg: 'FILE.json',
    help: 'class-index JSON {"0": "name", ...} (default: the model\'s featscope.classes metadata when it names every label, else the data\'s classes: sorted folder names or CSV labels (ids when all are whole numbers), torchvision\'s MNIST-family classes; for reduce, the label ids themselves)',
  },
  'top-k': { type: 'string', arg: 'K', help: 'how many top predictions to record (default: 3)' },
  preset: {
    type: 'string',
    arg: 'NAME',
    help: "preprocessing: auto|imagenet|grayscale|none (default: auto = the model's featscope metadata, else imagenet for RGB models, grayscale for 1-channel)",
  },
  resize: {
    type: 'string',
    arg: 'N',
    help: 'resize the shorter side to N pixels, bilinear as torchvision (default: from the preset)',
  },
  crop: { type: 'string', arg: 'N', help: 'centre crop N x N (default: from the preset)' },
  mean: { type: 'string', arg: 'a,b,c', help: 'per-channel mean in [0,1] units (default: from the preset)' },
  std: { type: 'string', arg: 'a,b,c', help: 'per-channel std in [0,1] units (default: from the preset)' },
  channels: {
    type: 'string',
    arg: '1|3',
    help: 'convert images to 1 (L) or 3 (RGB) channels as PIL does (default: from the preset/model)',
  },
  'batch-size': {
    type: 'string',
    arg: 'N',
    help: "images per forward pass (default: 64, 8 for a model file of 64 MiB or more, or the model's fixed batch)",
  },
  strict: { type: 'boolean', help: 'stop on the first undecodable image instead of skipping it' },
  'execution-provider': {
    type: 'string',
    arg: 'cpu|cuda',
    help: 'ONNX Runtime execution provider (default: cpu)',
  },
  threads: { type: 'string', arg: 'N', help: 'threads for inference and t-SNE (default: all cores)' },
  'decode-threads': {
    type: 'string',
    arg: 'N|auto',
    help: "threads that decode and resize images ahead of inference (default: auto = for 64+ image files, sized from the first batch's measured decode and inference costs)",
  },
  features: {
    type: 'string',
    arg: 'FILE.npy',
    help: 'feature matrix [N, D] (.npy, float32/float64/float16)',
  },
  labels: {
    type: 'string',
    arg: 'FILE',
    help: 'labels of the feature rows: a predictions.csv, a .npy of class ids, or one label (name or id) per line',
  },
  paths: {
    type: 'string',
    arg: 'FILE',
    help: "image of each feature row, one path per line (relative to FILE's folder), for thumbnails in the pages",
  },
  method: {
    type: 'string',
    arg: 'LIST',
    help: 'embedding methods, comma-separated: tsne,pca,umap (default: tsne)',
  },
  dims: { type: 'string', arg: 'LIST', help: 'embedding dimensions: 2, 3 or 2,3 (default: 2,3)' },
  perplexity: {
    type: 'string',
    arg: 'P',
    help: 't-SNE perplexity (default: 30; lowered with a warning for tiny N)',
  },
  iterations: {
    type: 'string',
    arg: 'N',
    help: 't-SNE iterations including 250 of early exaggeration (default: 750)',
  },
  seed: { type: 'string', arg: 'S', help: 'random seed for t-SNE/PCA/UMAP (default: 0)' },
  'color-by': {
    type: 'string',
    arg: 'WHAT',
    help: 'default colouring of the interactive pages: label|prediction|correct|domain|set|confidence|metadata:COLUMN (default: domain with several domains, set with placed points, else label; prediction without labels)',
  },
  reference: {
    type: 'string',
    arg: 'REF_OUT',
    help: "place the new points into the maps of an earlier run's output folder, without moving them (features from the same model and layer); the tables list REF_OUT's points, then the new ones, with a set column",
  },
  'fit-sample': {
    type: 'string',
    arg: 'M',
    help: 'fit each map on a seeded sample of M points and place the others into it (for sets too big to map whole; t-SNE and PCA)',
  },
  metadata: {
    type: 'string',
    arg: 'FILE.csv',
    help: 'extra columns per image for the pages to colour by, joined on its `path` column (paths as in predictions.csv); plot reuses the one run.json records (--metadata "" for none)',
  },
  'no-thumbnails': { type: 'boolean', help: 'do not embed image thumbnails in the interactive pages' },
  shard: {
    type: 'string',
    arg: 'i/N|auto|auto/N',
    help: 'classify only part i (0-based) of N contiguous ranges of the test set, into OUT/parts/part-<i>-of-<N>/ (then `featscope merge`); auto = from a Slurm array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), auto/N = from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) (default: every image)',
  },
  thumbnails: {
    type: 'string',
    arg: 'WHERE',
    help: "where the pages' thumbnails go: inline|folder|auto (inline: inside each page; folder: files in thumbnails/ next to the pages, loaded on hover; default auto: inline up to 50,000 points)",
  },
  run: { type: 'string', arg: 'DIR', help: 'an existing featscope output folder' },
  force: { type: 'boolean', help: 're-run every stage, ignoring cached results in the output folder' },
  help: { type: 'boolean', help: 'show help' },
  version: { type: 'boolean', help: 'show the version' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const PREPROCESS: OptionName[] = ['preset', 'resize', 'crop', 'mean', 'std', 'channels'];
const INFERENCE: OptionName[] = [
  'split',
  'layer',
  'output',
  'layout',
  'classes',
  'top-k',
  ...PREPROCESS,
  'batch-size',
  'strict',
  'execution-provider',
  'threads',
  'decode-threads',
];
const REDUCE: OptionName[] = ['method', 'dims', 'perplexity', 'iterations', 'seed', 'threads'];
const PLACE: OptionName[] = ['reference', 'fit-sample'];
const PLOT: OptionName[] = ['color-by', 'no-thumbnails', 'thumbnails'];

export interface CommandSpec {
  summary: string;
  usage: string;
  required: OptionName[];
  options: OptionName[];
}

export const COMMANDS: Record<string, CommandSpec> = {
  run: {
    summary: 'the whole job: classify, extract features, t-SNE 2D/3D, figures, pages and report',
    usage:
      'featscope run --model M.onnx --data DIR --out OUT [--reference REF_OUT | --fit-sample M] [options]',
    required: ['model', 'data', 'out'],
    options: [
      ...new Set<OptionName>([
        'model',
        'data',
        'out',
        ...INFERENCE,
        'shard',
        ...REDUCE,
        ...PLACE,
        ...PLOT,
        'metadata',
        'force',
      ]),
    ],
  },
  classify: {
    summary: 'predictions.csv + features.npy + run.json',
    usage: 'featscope classify --model M.onnx --data DIR --out OUT [options]',
    required: ['model', 'data', 'out'],
    options: ['model', 'data', 'out', ...INFERENCE, 'shard'],
  },
  merge: {
    summary:
      'join the parts of a sharded classify (OUT/parts/) into predictions.csv + features.npy + run.json',
    usage: 'featscope merge --out OUT',
    required: ['out'],
    options: ['out'],
  },
  reduce: {
    summary: 'maps, figure, pages and report of any feature matrix (features.npy + optional labels)',
    usage:
      'featscope reduce --features F.npy --out OUT [--labels L] [--classes FILE.json] [--paths FILE] [--method tsne] [--dims 2,3] [--reference REF_OUT | --fit-sample M]',
    required: ['features', 'out'],
    options: ['features', 'labels', 'classes', 'paths', 'out', ...REDUCE, ...PLACE, ...PLOT],
  },
  plot: {
    summary: 're-draw figures, pages and the report of any folder holding a map (tsne-2d.csv, ...)',
    usage:
      'featscope plot --run OUT [--color-by label|prediction|correct|domain] [--thumbnails inline|folder|auto | --no-thumbnails] [--metadata FILE.csv]',
    required: ['run'],
    options: ['run', ...PLOT, 'metadata'],
  },
  layers: {
    summary: 'list candidate feature layers with their shapes',
    usage: 'featscope layers --model M.onnx',
    required: ['model'],
    options: ['model', 'output', 'layout', ...PREPROCESS],
  },
  demo: {
    summary: 'the whole job on the bundled Fashion-MNIST example',
    usage: 'featscope demo [--out DIR]',
    required: [],
    options: ['out', ...REDUCE, ...PLOT, 'force'],
  },
};
