/** Polls `cond` until it holds; fails after `ms`. Tests wait for a state, never for a fixed time. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Returns once the wall clock has moved past `t` (ms or ISO), so the next write gets a later timestamp. */
export async function clockPast(t: number | string = Date.now()): Promise<void> {
  const at = typeof t === 'string' ? Date.parse(t) : t;
  await until(() => Date.now() > at, 1000, 'the clock moving on');
}
