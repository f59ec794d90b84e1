/**
 * Seeded pseudo-random numbers for every stochastic step in `reduce/` (random projections, NN-descent
 * sampling, randomised PCA, UMAP). One generator per call, created from the user's `--seed`, so a run is
 * reproducible and no module keeps global random state.
 */

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): tiny, fast and statistically good
 * enough for sampling and initialisation. Any integer seed (it is reduced to 32 bits).
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One standard normal deviate by the Box-Muller transform. Stateless (the second deviate is discarded)
 * so the sequence depends only on the generator; `1 - rng()` keeps the logarithm's argument in (0, 1].
 */
export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
