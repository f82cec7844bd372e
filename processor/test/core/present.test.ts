import { present } from '../../src/core/present';

describe('present', () => {
  it('drops undefined and null, keeps every other value (0, false, empty string)', () => {
    expect(present({ a: undefined, b: null, c: 0, d: false, e: '', f: 'x' })).toEqual({
      c: 0,
      d: false,
      e: '',
      f: 'x',
    });
    expect(Object.keys(present({ a: undefined }))).toEqual([]);
  });
});
