/** The last N latencies of a channel's pushes, with percentiles for the admin status: pure. */
export const LATENCY_SAMPLES_MAX = 1_000;

export class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;

  add(valueMs: number): void {
    if (this.samples.length < LATENCY_SAMPLES_MAX) this.samples.push(valueMs);
    else { this.samples[this.next] = valueMs; this.next = (this.next + 1) % LATENCY_SAMPLES_MAX; }
  }

  percentile(fraction: number): number | null {
    return percentile(this.samples, fraction);
  }
}

/** Nearest-rank percentile; null for no samples. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
