/** Progress events the pipeline emits; the CLI draws them. Kernels never see this. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  /** What `done` counts, e.g. "images" or "iterations". */
  unit: string;
}
export type ProgressListener = (e: ProgressEvent) => void;
