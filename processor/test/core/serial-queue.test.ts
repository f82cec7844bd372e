import { createSerialQueue } from '../../src/core/serial-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('serial queue', () => {
  it('runs tasks of one key one after the other, and other keys alongside', async () => {
    const q = createSerialQueue();
    const order: string[] = [];
    const first = gate();
    const a1 = q.serially('a', async () => {
      order.push('a1 start');
      await first.opened;
      order.push('a1 end');
    });
    const a2 = q.serially('a', async () => void order.push('a2'));
    const b1 = q.serially('b', async () => void order.push('b1'));
    await tick();
    expect(order).toEqual(['a1 start', 'b1']);
    first.open();
    await Promise.all([a1, a2, b1]);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('a failed task does not stop the next one of its key', async () => {
    const q = createSerialQueue();
    const failed = q.serially('a', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(q.serially('a', async () => 'ok')).resolves.toBe('ok');
  });

  it('a task stuck on an unanswered call holds the next one of its key for maxWaitMs at most', async () => {
    const q = createSerialQueue({ maxWaitMs: 50 });
    const stuck = gate();
    void q.serially('a', () => stuck.opened);
    const started = Date.now();
    await q.serially('a', async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
    stuck.open();
  });

  it('calls that arrive while a task runs share one follow-up task with their hints merged', async () => {
    const q = createSerialQueue();
    const running = gate();
    const seen: string[][] = [];
    const task = async (hints: string[]) => {
      seen.push(hints);
      if (seen.length === 1) await running.opened;
      return seen.length;
    };
    const merge = (a: string[], b: string[]) => [...a, ...b];
    const first = q.coalesced('pi', ['e1'], merge, task);
    await tick();
    const second = q.coalesced('pi', ['e2'], merge, task);
    const third = q.coalesced('pi', ['e3'], merge, task);
    running.open();
    expect(await Promise.all([first, second, third])).toEqual([1, 2, 2]);
    expect(seen).toEqual([['e1'], ['e2', 'e3']]);
  });

  it('a call after the follow-up started gets a task of its own', async () => {
    const q = createSerialQueue();
    const seen: string[][] = [];
    const task = async (hints: string[]) => void seen.push(hints);
    const merge = (a: string[], b: string[]) => [...a, ...b];
    await q.coalesced('pi', ['e1'], merge, task);
    await q.coalesced('pi', ['e2'], merge, task);
    expect(seen).toEqual([['e1'], ['e2']]);
  });

  it('a failure reaches every call that shared the task, and the next call runs afresh', async () => {
    const q = createSerialQueue();
    const running = gate();
    let calls = 0;
    const task = async () => {
      calls++;
      if (calls === 1) return running.opened;
      if (calls === 2) throw new Error('commercetools unavailable');
      return undefined;
    };
    const merge = () => undefined;
    const first = q.coalesced('pi', undefined, merge, task);
    await tick();
    const shared = [q.coalesced('pi', undefined, merge, task), q.coalesced('pi', undefined, merge, task)];
    running.open();
    await first;
    for (const call of shared) await expect(call).rejects.toThrow('commercetools unavailable');
    await expect(q.coalesced('pi', undefined, merge, task)).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});
