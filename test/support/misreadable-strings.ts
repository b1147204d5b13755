/**
 * Strings that a YAML reader other than slotwire's could take for something
 * else when written plain: PyYAML and Rasa's loaders read YAML 1.1, where
 * `19:00` is 1140 (base 60), `on` and `y` are true, `012` is 10 and
 * `2024-05-01` a date. Each must read back as the same string from every
 * file slotwire writes (record, the studio's mapping and saved cases).
 */
export const MISREADABLE_STRINGS: readonly string[] = [
  // times and base 60
  '19:00',
  '09:30',
  '1:30:00',
  '190:20:30.15',
  // booleans, in any case (YAML 1.1 has y and n too)
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'N',
  'True',
  'FALSE',
  'yEs',
  // numbers: hexadecimal, octal, binary, leading zeros, exponents, fractions, separators
  '0x1F',
  '0o17',
  '0b101',
  '012',
  '007',
  '08',
  '1e3',
  '1E-3',
  '.5',
  '5.',
  '-.5',
  '+1',
  '1_000',
  '+.',
  // null
  '~',
  'null',
  'NULL',
  '',
  // dates and timestamps
  '2024-05-01',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  // infinity and not-a-number
  '.inf',
  '-.Inf',
  '.NaN',
  // PyYAML's value and merge keys, and YAML's own indicators
  '=',
  '<<',
  '***',
  '- x',
  '[x]',
  '# not a comment',
];

/** Those of {@link MISREADABLE_STRINGS} that are slot names too (letters, digits, `_`, `-`, `.`, a letter or `_` first). */
export const MISREADABLE_SLOT_NAMES: readonly string[] = MISREADABLE_STRINGS.filter((s) =>
  /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s),
);
