// Which pages asked the service worker to hold its download of the site (a kata run is under way there), each for a
// limited time: a page closed mid-run never says "resume", and its pause must not stop the offline copy for good.
// Pure (timers only): the service worker uses it, unit tests drive it with fake timers.

export class Pauses {
  readonly #until = new Map<string, number>();
  #wakers: Array<() => void> = [];
  #controller = new AbortController();

  readonly #leaseMs: number;
  readonly #now: () => number;

  /** `leaseMs`: how long a pause holds unless its page renews it (pages renew while busy, see register.ts). */
  constructor(leaseMs = 60_000, now: () => number = () => Date.now()) {
    this.#leaseMs = leaseMs;
    this.#now = now;
  }

  /** A page is busy: hold the download (downloads under way are stopped through `signal`) until it resumes. */
  pause(page: string): void {
    const wasPaused = this.paused;
    this.#until.set(page, this.#now() + this.#leaseMs);
    if (!wasPaused) {
      this.#controller.abort(new DOMException('a page is running tests', 'AbortError'));
      this.#controller = new AbortController();
    }
  }

  resume(page: string): void {
    this.#until.delete(page);
    if (!this.paused) for (const wake of this.#wakers.splice(0)) wake();
  }

  get paused(): boolean {
    const now = this.#now();
    for (const [page, until] of this.#until) if (until <= now) this.#until.delete(page);
    return this.#until.size > 0;
  }

  /** Aborted at the next pause: downloads pass it to fetch, so that a pause frees the network at once. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Resolves when no page holds the download (at once when none does). */
  async unpaused(): Promise<void> {
    while (this.paused) {
      const lapses = Math.min(...this.#until.values()) - this.#now();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, lapses));
        this.#wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
