/**
 * Admission control like a GPU server's batch: at most `maxBatch` requests generate at once; the
 * rest wait in FIFO order, so time-to-first-token grows with load.
 */
export class Batcher {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxBatch: number) {}

  /** Resolves when the request may start generating. Call `release` exactly once afterwards. */
  acquire(): Promise<void> {
    if (this.active < this.maxBatch) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting.length;
  }
}
