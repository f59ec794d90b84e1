/**
 * Draws pipeline progress: on a TTY one redrawn line per stage (bar, count, rate, ETA); otherwise one
 * plain line when a stage starts and one when it ends, so logs stay readable.
 */
import type { ProgressEvent } from '../pipeline/progress.js';

export class ProgressDisplay {
  private stage = '';
  private started = 0;
  private lastDraw = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly tty = Boolean(process.stderr.isTTY),
    private readonly quiet = false,
  ) {}

  update = (e: ProgressEvent): void => {
    if (this.quiet) return;
    const now = performance.now();
    if (e.stage !== this.stage) {
      this.finishLine();
      this.stage = e.stage;
      this.started = now;
      if (!this.tty) this.stream.write(`${e.stage}: ${e.total} ${e.unit}\n`);
    }
    if (this.tty && (now - this.lastDraw > 100 || e.done === e.total)) {
      this.lastDraw = now;
      this.stream.write(`\r${this.render(e, now)}\x1b[K`);
    }
    if (e.done === e.total && e.total > 0) this.finishLine(e, now);
  };

  private render(e: ProgressEvent, now: number): string {
    const frac = e.total > 0 ? e.done / e.total : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? e.done / secs : 0;
    const eta = rate > 0 ? (e.total - e.done) / rate : 0;
    return `${e.stage.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} ${e.unit}  ${rate.toFixed(rate < 10 ? 1 : 0)}/s  ETA ${formatSeconds(eta)}`;
  }

  private finished = new Set<string>();
  private finishLine(e?: ProgressEvent, now?: number): void {
    if (!e || this.finished.has(e.stage)) return;
    this.finished.add(e.stage);
    const secs = ((now ?? performance.now()) - this.started) / 1000;
    if (this.tty) this.stream.write('\n');
    else this.stream.write(`${e.stage}: done, ${e.done} ${e.unit} in ${secs.toFixed(1)} s\n`);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
