// A `javascript` assertion for suites/assertions.yaml: called with the model's output and
// { vars, case, target, ttftMs, e2eMs, outputTokens }; returns a boolean, a score 0..1 or
// { pass, score, reason }.
export function itemsInStock(output, { vars }) {
  const order = JSON.parse(output);
  const stock = String(vars.stock).split(",");
  const missing = order.items.filter((item) => !stock.includes(item));
  return {
    pass: missing.length === 0,
    score: 1 - missing.length / order.items.length,
    reason: missing.length === 0 ? "every item is in stock" : `not in stock: ${missing.join(", ")}`,
  };
}
