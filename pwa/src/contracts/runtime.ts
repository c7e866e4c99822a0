// Helpers the generated schemas call (zod.ts is generated; these few lines are not).
// Python measures string length in code points, JavaScript in UTF-16 units: an emoji is 1 for
// Pydantic and 2 for String.length, so lengths are checked the Python way.

type Refinement = [(value: string) => boolean, { message: string }];

const codePoints = (value: string): number => {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
};

export const minChars = (min: number): Refinement => [
  (value) => codePoints(value) >= min,
  { message: min === 1 ? "Required" : `At least ${min} characters` },
];

export const maxChars = (max: number): Refinement => [
  (value) => codePoints(value) <= max,
  { message: `At most ${max} characters` },
];
