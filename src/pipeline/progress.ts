/** Progress events the pipeline emits; the CLI draws them. Kernels never see this. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  /** What `done` counts, e.g. "images" or "iterations". */
  unit: string;
}
export type ProgressListener = (e: ProgressEvent) => void;

/** What every stage's options object may carry: progress events and a way to stop. */
export interface StageControl {
  /** Called as the stage progresses (the CLI draws these as progress bars). */
  onProgress?: ProgressListener;
  /** Aborting stops the stage at its next batch or iteration with a CancelledError. */
  signal?: AbortSignal;
}
