import { startingInterval } from './health.monitor';

describe('startingInterval', () => {
  it('checks a starting instance every 100 ms at first, then every 500 ms, then every 2 s', () => {
    expect(startingInterval(0)).toBe(100);
    expect(startingInterval(1999)).toBe(100);
    expect(startingInterval(2000)).toBe(500);
    expect(startingInterval(4999)).toBe(500);
    expect(startingInterval(5000)).toBe(2000);
    expect(startingInterval(170_000)).toBe(2000);
  });
});
