/**
 * A progress line on stderr: redrawn in place on a terminal, printed every `intervalMs` otherwise
 * (CI logs), so long work always shows that it moves.
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;
  constructor(private readonly label: string, private readonly total: number | undefined, private readonly intervalMs = 5000) {
    this.tty = process.stderr.isTTY === true;
  }

  update(done: number, extra = ''): void {
    const now = Date.now();
    if (!this.tty && now - this.last < this.intervalMs) return;
    if (this.tty && now - this.last < 100) return;
    this.last = now;
    process.stderr.write(this.render(done, extra) + (this.tty ? '' : '\n'));
  }

  finish(done: number, extra = ''): void {
    process.stderr.write(this.render(done, extra) + '\n');
  }

  private render(done: number, extra: string): string {
    const secs = (Date.now() - this.started) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    let bar = '';
    if (this.total !== undefined && this.total > 0) {
      const width = 24;
      const filled = Math.min(width, Math.round((done / this.total) * width));
      const eta = rate > 0 ? (this.total - done) / rate : Infinity;
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} eta ${formatSeconds(eta)}`;
    } else bar = `${done}`;
    const line = `${this.label} ${bar} ${rate.toFixed(2)}/s ${formatSeconds(secs)} ${extra}`.trimEnd();
    return this.tty ? `\r\x1b[2K${line}` : line;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
