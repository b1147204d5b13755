/** "Did you mean …?" for misspelt keys, names and values. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` when it is close enough to be a likely
 * typo (1 edit for names of 1–2 characters, 2 up to 8, else 3; a swap of two
 * letters counts as 2), case-insensitively. Returns null when nothing is that close.
 */
export function closest(input: string, candidates: Iterable<string>): string | null {
  const needle = input.toLowerCase();
  const limit = needle.length <= 2 ? 1 : needle.length <= 8 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** `Did you mean "x"? ` or the empty string, for the front of a hint. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === null ? '' : `Did you mean "${match}"? `;
}
