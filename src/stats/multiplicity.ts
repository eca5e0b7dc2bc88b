/**
 * Holm's (1979) step-down adjusted p-values, in the order given: sort p ascending, p_(j) becomes
 * max over i <= j of min(1, (m - i + 1) p_(i)). Rejecting every hypothesis whose adjusted p is
 * below alpha keeps the chance of any false rejection in the family at or under alpha, whatever the
 * dependence between the tests, and rejects everything Bonferroni's alpha / m would and more.
 * NaN p-values stay NaN and do not count in m.
 */
export function holm(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !Number.isNaN(p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = order.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  order.forEach(({ p, i }, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
