/**
 * Per-key ordering of the syncs of one processor (one per composition root): syncs of one
 * PaymentIntent (confirm, its webhooks, operations) read what the one before wrote instead of
 * racing it into a version conflict. Across processes, commercetools' versions still guard
 * every write.
 */
export function createSerialQueue(options: { maxWaitMs?: number } = {}) {
  // A task stuck on an unanswered upstream call must not hold the key's later tasks forever:
  // past this they run anyway, still guarded by commercetools' versions.
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  const tails = new Map<string, Promise<unknown>>();
  const queued = new Map<string, { merge(hints: unknown): void; result: Promise<unknown> }>();

  /** Runs `task` after every earlier task of the same key has settled (or `maxWaitMs` passed). */
  function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key);
    const before = previous ? bounded(previous) : Promise.resolve();
    const run = before.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  }

  /**
   * Like `serially`, but a task that has not started yet absorbs later calls of the same key:
   * their hints are merged into it and they share its result. A burst of events about one
   * PaymentIntent costs one sync while another runs plus one after it, never one each; the one
   * after starts once they all arrived, so it reads what each of them is about.
   */
  function coalesced<H, T>(
    key: string,
    hints: H,
    merge: (a: H, b: H) => H,
    task: (hints: H) => Promise<T>,
  ): Promise<T> {
    const waiting = queued.get(key);
    if (waiting) {
      waiting.merge(hints);
      return waiting.result as Promise<T>;
    }
    let merged = hints;
    const entry = {
      merge: (more: unknown) => {
        merged = merge(merged, more as H);
      },
      result: undefined as unknown as Promise<T>,
    };
    entry.result = serially(key, () => {
      if (queued.get(key) === entry) queued.delete(key);
      return task(merged);
    });
    queued.set(key, entry);
    return entry.result;
  }

  function bounded(previous: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
    });
    return Promise.race([previous, waited]).finally(() => clearTimeout(timer));
  }

  return { serially, coalesced };
}

export type SerialQueue = ReturnType<typeof createSerialQueue>;
