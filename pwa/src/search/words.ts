// The search word rules, a port of sync_server/search.py (keep the two in step: both run every
// case of contracts/search/cases.json). Search is by word prefix: every word of the query must
// begin a word of one of a record's searchable fields, in any field and any order, case and
// accents ignored: text and query are folded alike first (`fold`: lower-case, NFKD, combining
// marks dropped, lower-case again, "ß" as "ss" and "ς" as "σ", NFC), so "jose" finds "José".
// A word is a run of letters and digits; a value with digits in more than one group also yields
// all its digits as one word, so "555-0100" and "5550100" both find "(555) 0100".

export const MAX_TERM = 64; // longer words are cut: still found by any prefix of up to this length
export const MAX_QUERY_WORDS = 8;

// Python's `[\W_]+` on a str: anything that is not a Unicode letter or number separates words.
const SEPARATOR = /[^\p{L}\p{N}]+/u;
const NOT_DIGIT = /[^0-9]+/;
const NOT_DIGITS = /[^0-9]+/g;
const DIGIT_GROUPS = /[0-9][^0-9]+[0-9]/; // digits in more than one group
const ASCII = /^[\0-\x7f]*$/;
const MARKS = /\p{M}+/gu; // Mn, Mc, Me: Python's unicodedata.category(c).startswith("M")
const SPELLED = /[ßς]/;
// With every mark gone, NFC only joins conjoining Hangul jamo (all other canonical compositions
// add a mark): skipped without them, as it costs a third of the fold.
const JAMO = /[\u1100-\u11ff]/;

/** `text` with case and accents ignored, as search compares it (Python's `fold`). */
export function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let bare = text.toLowerCase().normalize("NFKD").replace(MARKS, "").toLowerCase();
  if (SPELLED.test(bare)) bare = bare.replaceAll("ß", "ss").replaceAll("ς", "σ");
  return JAMO.test(bare) ? bare.normalize("NFC") : bare;
}

/** The first MAX_TERM code points (Python slices code points; JS strings are UTF-16). */
function cut(word: string): string {
  return word.length <= MAX_TERM ? word : Array.from(word).slice(0, MAX_TERM).join("");
}

function wordSet(folded: string): Set<string> {
  const found = new Set<string>();
  for (const word of folded.split(SEPARATOR)) if (word) found.add(cut(word));
  return found;
}

/** The words of `text`, folded and cut to MAX_TERM, in order, without repeats. */
export const words = (text: string): string[] => [...wordSet(fold(text))];

/** What one field value is indexed under (only text is searchable). */
export function terms(value: unknown): Set<string> {
  if (typeof value !== "string") return new Set();
  const folded = fold(value);
  const found = wordSet(folded);
  const groups = folded.split(NOT_DIGIT).filter(Boolean);
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
    const raw = values[field];
    if (typeof raw !== "string") continue;
    const value = fold(raw);
    for (const word of value.split(SEPARATOR)) if (word) text += `\0${cut(word)}`;
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
