/**
 * Lines up two tools' stage timings by what the stage does (featscope's run.json `stages` and the
 * recipe's JSON use different names and splits), so the e2e table compares like with like. A stage no
 * rule matches gets a row of its own; time neither tool accounts for (process start-up, interpreter
 * and module loading before the first timer, exit) is the wall time minus the sum of its stages.
 */
export type StageSeconds = Record<string, number>;

export interface PhaseRow {
  phase: string;
  /** Seconds of tool A (featscope) in this phase; null when it has no such stage. */
  a: number | null;
  b: number | null;
  aStages: string[];
  bStages: string[];
}

/** First matching rule wins; order matters ('write_predictions' before the inference rule). */
const PHASES: readonly { phase: string; match: RegExp }[] = Object.freeze([
  { phase: 'imports', match: /^imports?$/i },
  { phase: 'load data + model', match: /^load$|scan|dataset|load model/i },
  { phase: 'write predictions + features', match: /write/i },
  { phase: 'inference (predictions + features)', match: /classify|predict|features|infer/i },
  { phase: 't-SNE 2D', match: /tsne[\s_-]*2d/i },
  { phase: 't-SNE 3D', match: /tsne[\s_-]*3d/i },
  { phase: 'PCA / UMAP', match: /pca|umap/i },
  { phase: 'neighbours + thumbnails', match: /neighbo|thumb/i },
  // One phase for every drawn output: featscope renders figures, pages and report in one 'render'
  // stage, the recipe times figures and pages apart (and writes no report).
  { phase: 'figures + pages + report', match: /render|figure|static|png|svg|pdf|page|html|report|index/i },
]);

export const UNTIMED_PHASE = 'untimed (start-up, exit, between stages)';

export function phaseOf(stage: string): string {
  return PHASES.find((p) => p.match.test(stage))?.phase ?? stage;
}

export function comparePhases(
  a: StageSeconds,
  aWall: number | null,
  b: StageSeconds,
  bWall: number | null,
): PhaseRow[] {
  const rows = new Map<string, PhaseRow>();
  const order = [...PHASES.map((p) => p.phase)];
  const add = (side: 'a' | 'b', stage: string, seconds: number) => {
    const phase = phaseOf(stage);
    if (!order.includes(phase)) order.push(phase);
    const row = rows.get(phase) ?? { phase, a: null, b: null, aStages: [], bStages: [] };
    row[side] = (row[side] ?? 0) + seconds;
    (side === 'a' ? row.aStages : row.bStages).push(stage);
    rows.set(phase, row);
  };
  for (const [stage, s] of Object.entries(a)) add('a', stage, s);
  for (const [stage, s] of Object.entries(b)) add('b', stage, s);
  const untimed = (stages: StageSeconds, wall: number | null) =>
    wall === null || Object.keys(stages).length === 0
      ? null
      : Math.max(0, wall - Object.values(stages).reduce((sum, s) => sum + s, 0));
  const ua = untimed(a, aWall);
  const ub = untimed(b, bWall);
  const result = order.flatMap((p) => rows.get(p) ?? []);
  if (ua !== null || ub !== null)
    result.push({ phase: UNTIMED_PHASE, a: ua, b: ub, aStages: [], bStages: [] });
  return result;
}
