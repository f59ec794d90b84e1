/**
 * The part of t-SNE's preparation that does not depend on the map's dimensions: the PCA
 * pre-reduction, the kNN graph and the symmetrised P, built directly in locality order (and in shared
 * memory for the parallel engine) by affinities-ordered.ts. A 2D and a 3D map of the same
 * features with the same perplexity, seed and neighbour search have the very same P, so `featscope
 * run --dims 2,3` computes it once (`tsneAffinities`, tsne.ts) and hands it to both (`TsnePrepareOptions.affinities`);
 * it also keeps each point's nearest neighbours for the pages (docs/architecture.md section 4).
 */
import { type KnnResult, knnAsync } from '../knn/knn.js';
import { pca } from '../pca/pca.js';
import { RELEASE_UNAVAILABLE_WARNING, releaseMemory } from '../release-memory.js';
import type { CsrMatrix } from './affinities.js';
import { orderedJointProbabilitiesAsync } from './affinities-ordered.js';
import type { ResolvedTsneOptions } from './options.js';

/** Leading principal components kept for the initial layouts (a 3D map uses three). */
const KEPT_COMPONENTS = 3;

export interface TsneAffinities {
  /** What they were computed for (`affinitiesKey`); `TSNE.prepare` uses them only when its own key matches. */
  key: string;
  /** P in locality order: row r is input row `order[r]`. */
  p: CsrMatrix;
  order: Int32Array;
  /**
   * The leading principal components of the features (input order, `pcaStride` per row) when they
   * were pre-reduced with PCA; null otherwise (the map then computes its own small PCA).
   */
  pca: Float64Array | null;
  pcaStride: number;
  /** Dimensions of the PCA pre-reduction the neighbours were found in, or null (the features as they are). */
  pcaDims: number | null;
  knnMethod: 'exact' | 'approx';
  /** Threads of the neighbour search. */
  threads: number;
  /**
   * The `nearest.k` nearest neighbours of every row (input order, ascending distance), the first
   * columns of the kNN graph behind P: in the PCA-reduced space when `pca` is set, else the features'.
   */
  nearest: { k: number; indices: Int32Array };
  /** Fallbacks taken while computing them. */
  warnings: string[];
}

/** What the affinities depend on: rows, columns and the resolved options that shape P. */
export function affinitiesKey(n: number, d: number, o: ResolvedTsneOptions, threads: number): string {
  return JSON.stringify([n, d, o.perplexity, o.k, o.seed, o.pcaDims, o.knnMethod, threads]);
}

/**
 * PCA pre-reduction (when `pcaDims` is set), kNN on `threads`, P in its locality order. The reduced
 * features and the kNN graph are garbage once it returns: at a million points they are GBs
 * (docs/architecture.md, "A million points").
 */
export async function computeAffinities(
  data: Float32Array,
  n: number,
  d: number,
  base: ResolvedTsneOptions,
  threads: number,
  keepNeighbors: number,
  onPhase?: (phase: 'pca' | 'knn' | 'affinities') => void,
): Promise<TsneAffinities> {
  onPhase?.('pca');
  let reduced: ReducedFeatures | null = reducedFeatures(data, n, d, base, threads > 1);
  const { featureDims, components, stride } = reduced;
  // PCA's float64 projection (and its scratch) is garbage: give it back before the search.
  // Each release says whether it could collect; one warning covers them all.
  let released = await releaseMemory(reduced.features === data ? 0 : 2 * reduced.features.byteLength);
  await nextTick();
  onPhase?.('knn');
  let graph: KnnResult | null = await knnAsync(reduced.features, n, featureDims, base.k, {
    method: base.knnMethod,
    seed: base.seed,
    threads,
  });
  // The reduced features and the search's own arrays are garbage now: give them back before P.
  const reducedBytes = reduced.features === data ? 0 : reduced.features.byteLength;
  reduced = null;
  released = (await releaseMemory(reducedBytes + graphBytes(graph))) && released;
  onPhase?.('affinities');
  const kept = Math.min(keepNeighbors, graph.k);
  const nearest = new Int32Array(n * kept);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < kept; j++) nearest[i * kept + j] = graph.indices[i * graph.k + j];
  }
  const { method: knnMethod, k, warnings } = graph;
  // Overwrites graph.distances (affinities-ordered.ts); the neighbours above were copied first.
  const { p, order } = await orderedJointProbabilitiesAsync(
    graph.indices,
    graph.distances,
    n,
    k,
    base.perplexity,
    threads,
  );
  // The graph and P's scratch are garbage: give them back before the optimiser allocates.
  const dropped = graphBytes(graph);
  graph = null;
  released = (await releaseMemory(dropped)) && released;
  return {
    key: affinitiesKey(n, d, base, threads),
    p,
    order,
    pca: components,
    pcaStride: stride,
    pcaDims: base.pcaDims,
    knnMethod,
    threads,
    nearest: { k: kept, indices: nearest },
    warnings: [...(warnings ?? []), ...(released ? [] : [RELEASE_UNAVAILABLE_WARNING])],
  };
}

/**
 * The features the neighbour search uses (reduced to `pcaDims` when wider, as float32, in shared
 * memory for its workers when `shared`) and the leading components kept for the initial layouts.
 * Synchronous and separate, so that the float64 projection is garbage before the search starts (an
 * async function keeps every local of its frame while it awaits).
 */
interface ReducedFeatures {
  features: Float32Array;
  featureDims: number;
  components: Float64Array | null;
  stride: number;
}

function reducedFeatures(
  data: Float32Array,
  n: number,
  d: number,
  base: ResolvedTsneOptions,
  shared: boolean,
): ReducedFeatures {
  if (base.pcaDims === null) return { features: data, featureDims: d, components: null, stride: 0 };
  const stride = Math.min(KEPT_COMPONENTS, base.pcaDims);
  const reduced = pca(data, n, d, base.pcaDims, { seed: base.seed });
  const bytes = 4 * n * base.pcaDims;
  const features = new Float32Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  features.set(reduced.projected);
  const components = new Float64Array(n * stride);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < stride; c++) components[i * stride + c] = reduced.projected[i * base.pcaDims + c];
  }
  return { features, featureDims: base.pcaDims, components, stride };
}

/** Bytes of the graph: also about what the search or P's construction leave behind when they end. */
const graphBytes = (g: KnnResult) => g.indices.byteLength + g.distances.byteLength;

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
