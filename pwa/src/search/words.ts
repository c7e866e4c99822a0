// The search word rules, a port of sync_server/search.py (keep the two in step: both run every
// case of contracts/search/cases.json). Search is by word prefix: every word of the query must
// begin a word of one of a record's searchable fields, in any field and any order, case ignored.
// A word is a run of letters and digits; a value with digits in more than one group also yields
// all its digits as one word, so "555-0100" and "5550100" both find "(555) 0100".

export const MAX_TERM = 64; // longer words are cut: still found by any prefix of up to this length
export const MAX_QUERY_WORDS = 8;

// Python's `[\W_]+` on a str: anything that is not a Unicode letter or number separates words.
const SEPARATOR = /[^\p{L}\p{N}]+/u;
const NOT_DIGIT = /[^0-9]+/;
const NOT_DIGITS = /[^0-9]+/g;
const DIGIT_GROUPS = /[0-9][^0-9]+[0-9]/; // digits in more than one group

/** The first MAX_TERM code points (Python slices code points; JS strings are UTF-16). */
function cut(word: string): string {
  return word.length <= MAX_TERM ? word : Array.from(word).slice(0, MAX_TERM).join("");
}

/** The words of `text`, lower-cased and cut to MAX_TERM, in order, without repeats. */
export function words(text: string): string[] {
  const found = new Set<string>();
  for (const word of text.toLowerCase().split(SEPARATOR)) if (word) found.add(cut(word));
  return [...found];
}

/** What one field value is indexed under (only text is searchable). */
export function terms(value: unknown): Set<string> {
  if (typeof value !== "string") return new Set();
  const found = new Set(words(value));
  const groups = value.split(NOT_DIGIT).filter(Boolean);
  if (groups.length > 1) found.add(groups.join("").slice(0, MAX_TERM));
  return found;
}

/** Every term of these fields (as `terms` gives them), each after a NUL, repeats kept: so
 * `includes("\0" + w)` tells whether some term begins with w (no term holds a NUL). What the
 * local search scans; built without the sets `terms` makes, several times faster over 10,000
 * records. */
export function termText(fields: readonly string[], values: Record<string, unknown>): string {
  let text = "";
  for (const field of fields) {
    const value = values[field];
    if (typeof value !== "string") continue;
    for (const word of value.toLowerCase().split(SEPARATOR)) if (word) text += `\0${cut(word)}`;
    if (DIGIT_GROUPS.test(value)) text += `\0${value.replace(NOT_DIGITS, "").slice(0, MAX_TERM)}`;
  }
  return text;
}

/** The words a query must all find (at most MAX_QUERY_WORDS; the rest are ignored). */
export const queryWords = (q: string): string[] => words(q).slice(0, MAX_QUERY_WORDS);

const begins = (found: Iterable<string>, wanted: readonly string[]): boolean => {
  for (const term of found) if (wanted.some((w) => term.startsWith(w))) return true;
  return false;
};

/** The fields of a found record holding a word one of the query's words begins. */
export function matchedFields(searchable: readonly string[], values: Record<string, unknown>, q: string): string[] {
  const wanted = queryWords(q);
  return searchable.filter((field) => begins(terms(values[field]), wanted));
}

/** Whether `q` finds a record with these values. */
export function matches(searchable: readonly string[], values: Record<string, unknown>, q: string): boolean {
  const wanted = queryWords(q);
  const found = searchable.flatMap((field) => [...terms(values[field])]);
  return wanted.length > 0 && wanted.every((w) => found.some((term) => term.startsWith(w)));
}
