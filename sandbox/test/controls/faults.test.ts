import { compilePathPattern, FaultInjector, FaultValidationError } from '../../src/controls/faults';
import { RequestCounters } from '../../src/controls/counters';

const body = (status: number) => ({ status });

describe('path patterns', () => {
  it.each([
    ['/sandbox/payments/*', '/sandbox/payments/abc', true],
    ['/sandbox/payments/*', '/sandbox/payments/abc/x', false],
    ['/sandbox/**', '/sandbox/payments/abc/x', true],
    ['/sandbox/carts', '/sandbox/carts', true],
    ['/sandbox/carts', '/sandbox/cartsx', false],
    ['/v1/payment_intents/*/confirm', '/v1/payment_intents/pi_1/confirm', true],
    ['/a.b/(x)', '/a.b/(x)', true],
    ['/a.b', '/aXb', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(compilePathPattern(pattern).test(path)).toBe(expected);
  });
});

describe('FaultInjector', () => {
  it('applies a rule to exactly the next N matching requests, then forgets it', () => {
    const faults = new FaultInjector();
    faults.add({ method: 'post', path: '/p/*', status: 409, times: 2 });
    expect(faults.take('GET', '/p/1', body)).toBeUndefined();
    expect(faults.take('POST', '/p/1', body)).toMatchObject({ kind: 'respond', status: 409, body: { status: 409 } });
    expect(faults.take('POST', '/p/2', body)).toMatchObject({ kind: 'respond', status: 409 });
    expect(faults.take('POST', '/p/3', body)).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('with idempotencyKey, applies only to requests whose Idempotency-Key matches the pattern', () => {
    const faults = new FaultInjector();
    faults.add({ method: 'POST', path: '/v1/payment_intents', idempotencyKey: 'ct-tx:*', status: 500 });
    expect(faults.take('POST', '/v1/payment_intents', body)).toBeUndefined();
    expect(faults.take('POST', '/v1/payment_intents', body, 'ct-payment:1:create')).toBeUndefined();
    expect(faults.take('POST', '/v1/payment_intents', body, 'xct-tx:1')).toBeUndefined();
    expect(faults.take('POST', '/v1/payment_intents', body, 'ct-tx:1:create:a.b')).toMatchObject({ status: 500 });
    expect(faults.list()).toEqual([]);
    expect(() => faults.add({ method: 'POST', path: '/x', idempotencyKey: '', status: 500 })).toThrow(/idempotencyKey/);
  });

  it('uses rules in insertion order, with the given body, delay or drop', () => {
    const faults = new FaultInjector();
    faults.add({ method: '*', path: '/x', status: 500, body: { custom: true } });
    faults.add({ method: '*', path: '/x', delayMs: 50 });
    faults.add({ method: '*', path: '/x', drop: true });
    expect(faults.take('GET', '/x', body)).toMatchObject({ kind: 'respond', status: 500, body: { custom: true } });
    expect(faults.take('GET', '/x', body)).toMatchObject({ kind: 'delay', delayMs: 50 });
    expect(faults.take('GET', '/x', body)).toMatchObject({ kind: 'drop' });
  });

  it('names every problem of an invalid rule at once', () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ method: '', path: 'x', times: 0, status: 42 })).toThrow(FaultValidationError);
    try {
      faults.add({ method: '', path: 'x', times: 0, status: 42 });
    } catch (err) {
      expect((err as Error).message).toMatch(/method.*path.*times.*status/);
    }
  });

  it('removes a rule by id and clears all', () => {
    const faults = new FaultInjector();
    const a = faults.add({ method: 'GET', path: '/a', status: 503 });
    faults.add({ method: 'GET', path: '/b', status: 503 });
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    expect(faults.list().map((r) => r.path)).toEqual(['/b']);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });
});

describe('RequestCounters', () => {
  it('counts by method and route template, with statuses', () => {
    const counters = new RequestCounters();
    counters.record('post', '/:projectKey/payments/:id', 409);
    counters.record('POST', '/:projectKey/payments/:id', 200);
    counters.record('GET', '/:projectKey/carts/:id', 200);
    expect(counters.snapshot()).toEqual({
      total: 3,
      byRoute: {
        'GET /:projectKey/carts/:id': { count: 1, statuses: { '200': 1 } },
        'POST /:projectKey/payments/:id': { count: 2, statuses: { '409': 1, '200': 1 } },
      },
    });
    counters.reset();
    expect(counters.snapshot()).toEqual({ total: 0, byRoute: {} });
  });
});
