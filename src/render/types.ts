/**
 * Plain data that the renderers take. The pipeline (or `featscope plot`) fills these from a run;
 * nothing in `src/render` reads run folders.
 */

/** One row per test image, in `predictions.csv` order. */
export interface PointSet {
  n: number;
  /** Class names in index order (the model's outputs). */
  classes: string[];
  /** Image paths relative to the data root, `/`-separated. */
  paths: string[];
  /** True label id per point, -1 when unknown. Length n. */
  labelIds: Int32Array;
  /** n*k predicted class ids, best first (row-major). Empty when k = 0. */
  topIds: Int32Array;
  /** n*k softmax confidences matching `topIds`. */
  topConf: Float32Array;
  /** Number of predictions kept per point; 0 when no predictions are known. */
  k: number;
  /** Per-point thumbnails as `data:image/...` URIs; absent, or null entries where none exists. */
  thumbnails?: (string | null)[];
  /** Nearest neighbours in feature space (not in the map), n*k point indices, nearest first. */
  neighbors?: { k: number; indices: Int32Array };
  /** Several domains (e.g. source and target): their names and each point's index into them. */
  domains?: { names: string[]; ids: Int32Array };
  /**
   * A map with placed points: names `['reference', 'new']` and each point's index into them (the
   * reference map's points, then the points placed into it).
   */
  sets?: { names: string[]; ids: Int32Array };
  /**
   * Extra per-point columns, e.g. joined from `--metadata FILE.csv` on `path`: numbers (NaN where a
   * point has no value) or categories ('' where it has none). The pages can colour by each column.
   */
  metadata?: { columns: MetadataColumn[] };
}

/** One metadata column: `values` has one entry per point. */
export type MetadataColumn =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'category'; values: string[] };

/** A low-dimensional map of the points: `coords` is n*dims, row-major. */
export interface Embedding {
  method: 'tsne' | 'pca' | 'umap';
  dims: 2 | 3;
  coords: Float32Array;
}

/**
 * What decides a point's colour: its true label, its top-1 prediction, whether that is right, its
 * domain (then the marker shows the class: the domain-adaptation figure), or, in a map with placed
 * points, its set (reference or new; the marker shows the class too).
 */
export type ColorBy = 'label' | 'prediction' | 'correct' | 'domain' | 'set';

/** Accuracy figures derived from a PointSet (see `computeClassificationSummary`). */
export interface ClassificationSummary {
  /** Points with a known label (label id >= 0) and at least one prediction; the denominator below. */
  labelled: number;
  /** Top-1 accuracy over the labelled points, in [0, 1]; null when nothing is labelled. */
  accuracy: number | null;
  /** k of the top-k accuracy (the PointSet's k). */
  k: number;
  /** Fraction of labelled points whose true label is among the k predictions; null when none labelled. */
  topKAccuracy: number | null;
  /** Per class, in class index order: labelled points of the class, correct top-1, accuracy (null if 0). */
  perClass: { count: number; correct: number; accuracy: number | null }[];
  /** classes x classes counts, row = true label, column = top-1 prediction (row-major). */
  confusion: Int32Array;
}

/** Embedding-quality numbers for one map, as computed by `src/reduce/metrics`. Any may be absent. */
export interface EmbeddingMetrics {
  /** Trustworthiness (Venna & Kaski 2001) at `neighbors`, in [0, 1]. */
  trustworthiness?: number | null;
  /** Fraction of feature-space k-NN kept among map k-NN, in [0, 1]. */
  knnPreservation?: number | null;
  /** Leave-one-out k-NN label accuracy in the map, in [0, 1]. */
  knnLabelAccuracy?: number | null;
  /** Final t-SNE KL divergence (nats). */
  klDivergence?: number | null;
  /** The k used by the neighbourhood metrics. */
  neighbors?: number | null;
}

/** One map in the report: which method and dimension, its metrics, and its seconds. */
export interface ReportEmbedding {
  method: Embedding['method'];
  dims: 2 | 3;
  metrics: EmbeddingMetrics;
  /** Seconds spent computing this map, when known. */
  seconds?: number | null;
  /** Relative href of its interactive page, when one exists (e.g. `tsne-2d.html`). */
  pageHref?: string | null;
}

/** A link from the report to an output file. `href` is relative to the report. */
export interface ReportFile {
  href: string;
  description: string;
  /** Size in bytes, shown next to the link when given. */
  bytes?: number | null;
}

/** Everything `renderReport` needs, as plain data. */
export interface ReportData {
  title: string;
  featscopeVersion?: string;
  /** ISO 8601 time of the run. */
  createdAt?: string;
  model: { path: string; sha256?: string | null; layer?: string | null; featureDims?: number | null };
  dataRoot?: string | null;
  n: number;
  classes: string[];
  /** From `computeClassificationSummary`; null when no predictions exist (e.g. `featscope reduce`). */
  summary: ClassificationSummary | null;
  embeddings: ReportEmbedding[];
  /**
   * The static figure to embed: inline SVG markup from `renderFigureSvg`, or a PNG data URI
   * (`data:image/png;base64,...`). Given both, the SVG is inlined up to 2 MB, the PNG above that.
   */
  figure?: { svg?: string; pngDataUri?: string; caption?: string } | null;
  files: ReportFile[];
  /** Resolved options, shown as a key/value table. Values are printed with JSON.stringify. */
  options: Record<string, unknown>;
  /** Seconds per pipeline stage, in run order. */
  stageSeconds: Record<string, number>;
  /** Images that were skipped, with the reason. */
  skipped?: { path: string; reason: string }[];
  /** Accuracy per domain, when the run has several (see `computeDomainSummary`). */
  domains?: DomainSummary[] | null;
}

/** Accuracy of one domain's points. */
export interface DomainSummary {
  name: string;
  /** Points of the domain, and those with a known label and a prediction. */
  n: number;
  labelled: number;
  /** Top-1 and top-k accuracy over the labelled points; null when none is labelled. */
  accuracy: number | null;
  topKAccuracy: number | null;
}
