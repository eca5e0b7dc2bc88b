/**
 * `scrub: pii` on a dataset: e-mail addresses, phone numbers and runs of 7 or more digits in its
 * text are replaced with placeholders as the dataset is read, so production samples turned into
 * cases never send, record or report them. A pattern, not a classifier: it errs towards scrubbing
 * (an order number of 7 digits goes too) and misses what has no pattern (names, street addresses).
 */

/** The placeholder each kind of match becomes. */
export const PII_PLACEHOLDERS = { email: "[EMAIL]", phone: "[PHONE]", digits: "[NUMBER]" } as const;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * A phone number as people write one: an optional +country code, an optional (area code), then
 * groups of digits joined by spaces, dots or dashes, 7 digits or more in all. Separators are
 * required between groups, so a bare number is left to the digit-run rule, and a version (1.2.3)
 * has too few digits; dates are told apart by their shape.
 */
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w])/g;
const DIGITS = /\d{7,}/g;
/** Dates have the groups of a phone number: 2024-01-15, 15.01.2024, 01/15/2024 are left alone. */
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$/;

const digitCount = (s: string) => s.replace(/\D/g, "").length;

/** `text` with every e-mail address, phone number and run of 7+ digits replaced by its placeholder. */
export function scrubPii(text: string): string {
  return text
    .replace(EMAIL, PII_PLACEHOLDERS.email)
    .replace(PHONE, (m) => (digitCount(m) >= 7 && !DATE.test(m) ? PII_PLACEHOLDERS.phone : m))
    .replace(DIGITS, PII_PLACEHOLDERS.digits);
}

/**
 * A dataset row's values with every text (and every number of 7+ digits) scrubbed, except the
 * columns in `keep` (the id column, whose value must stay unique; a column parsed before scrubbing).
 */
export function scrubValues<V extends string | number | boolean>(
  values: Readonly<Record<string, V>>,
  keep: ReadonlySet<string>,
): Record<string, V | string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      if (keep.has(k) || typeof v === "boolean") return [k, v];
      const text = String(v);
      const scrubbed = scrubPii(text);
      return [k, scrubbed === text ? v : scrubbed];
    }),
  );
}
