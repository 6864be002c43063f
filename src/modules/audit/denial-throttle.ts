const WINDOW_MS = 60_000;
const MAX_SOURCES = 10_000;

interface Window {
  start: number;
  count: number;
  suppressed: number;
}

/**
 * F-11: denials and failed sign-ins are recorded one by one up to a limit per source and minute;
 * beyond it they are counted, and the count is recorded as one event when the source shows up in a
 * later minute. Audit storage then grows with sources and minutes, not with requests.
 */
export class DenialThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `record`: write this denial; `suppressed`: how many from this source went unrecorded before it. */
  admit(source: string): { record: boolean; suppressed: number } {
    const now = this.now();
    let window = this.windows.get(source);
    let suppressed = 0;
    if (window === undefined || now - window.start >= WINDOW_MS) {
      suppressed = window?.suppressed ?? 0;
      window = { start: now, count: 0, suppressed: 0 };
      this.windows.delete(source); // re-inserted last, so the map stays ordered oldest first
      this.windows.set(source, window);
      this.prune(now);
    }
    if (window.count >= this.perMinute) {
      window.suppressed += 1;
      return { record: false, suppressed: 0 };
    }
    window.count += 1;
    return { record: true, suppressed };
  }

  /** Bounded memory: closed windows go first; past the cap the oldest go even with a count. */
  private prune(now: number): void {
    if (this.windows.size <= MAX_SOURCES) return;
    for (const [source, window] of this.windows)
      if (now - window.start >= WINDOW_MS && window.suppressed === 0) this.windows.delete(source);
    for (const source of this.windows.keys()) {
      if (this.windows.size <= MAX_SOURCES) break;
      this.windows.delete(source);
    }
  }
}
