/**
 * JSONata's built-in functions as an editor shows them: the signature as
 * docs.jsonata.org writes it and what the function does, in one line.
 * `$eval` is left out: slotwire refuses it (SW_EXPR_EVAL).
 */

/** A built-in function: how it is called and what it does. */
export interface JsonataFunction {
  readonly signature: string;
  readonly meaning: string;
}

export const jsonataFunctions: Readonly<Record<string, JsonataFunction>> = {
  sum: { signature: '$sum(array)', meaning: 'The sum of an array of numbers.' },
  count: { signature: '$count(array)', meaning: 'The number of items in an array.' },
  max: { signature: '$max(array)', meaning: 'The largest number in an array.' },
  min: { signature: '$min(array)', meaning: 'The smallest number in an array.' },
  average: { signature: '$average(array)', meaning: 'The mean of an array of numbers.' },
  string: { signature: '$string(arg, prettify?)', meaning: 'The value as a string; objects and arrays as JSON.' },
  substring: {
    signature: '$substring(str, start, length?)',
    meaning: 'Part of a string, from a 0-based start (negative: from the end).',
  },
  substringBefore: {
    signature: '$substringBefore(str, chars)',
    meaning: 'The part of a string before the first chars.',
  },
  substringAfter: { signature: '$substringAfter(str, chars)', meaning: 'The part of a string after the first chars.' },
  lowercase: { signature: '$lowercase(str)', meaning: 'The string in lower case.' },
  uppercase: { signature: '$uppercase(str)', meaning: 'The string in upper case.' },
  length: { signature: '$length(str)', meaning: 'The number of characters in a string.' },
  trim: {
    signature: '$trim(str)',
    meaning: 'The string with leading and trailing white space removed and inner runs made one space.',
  },
  pad: {
    signature: '$pad(str, width, char?)',
    meaning: 'The string padded to width with char (negative width: on the left).',
  },
  match: {
    signature: '$match(str, pattern, limit?)',
    meaning: 'The matches of a regular expression, with their index and groups.',
  },
  contains: {
    signature: '$contains(str, pattern)',
    meaning: 'Whether a string contains a substring or matches a regular expression.',
  },
  replace: {
    signature: '$replace(str, pattern, replacement, limit?)',
    meaning: 'The string with matches of a substring or regular expression replaced.',
  },
  split: { signature: '$split(str, separator, limit?)', meaning: 'The string split into an array of substrings.' },
  join: { signature: '$join(array, separator?)', meaning: 'An array of strings joined into one string.' },
  formatNumber: {
    signature: '$formatNumber(number, picture, options?)',
    meaning: 'A number as a string, laid out by a decimal picture such as "#,##0.00".',
  },
  formatBase: { signature: '$formatBase(number, radix?)', meaning: 'A number as a string in another base (2 to 36).' },
  formatInteger: {
    signature: '$formatInteger(number, picture)',
    meaning: 'An integer as a string by a picture: digits, words ("w") or roman numerals ("I").',
  },
  parseInteger: {
    signature: '$parseInteger(string, picture)',
    meaning: 'The integer a string holds, read by a picture as in $formatInteger.',
  },
  number: { signature: '$number(arg)', meaning: 'The value as a number (a numeric string, a boolean).' },
  floor: { signature: '$floor(number)', meaning: 'The number rounded down.' },
  ceil: { signature: '$ceil(number)', meaning: 'The number rounded up.' },
  round: {
    signature: '$round(number, precision?)',
    meaning: 'The number rounded to precision decimal places, halves to even.',
  },
  abs: { signature: '$abs(number)', meaning: 'The absolute value of a number.' },
  sqrt: { signature: '$sqrt(number)', meaning: 'The square root of a number.' },
  power: { signature: '$power(base, exponent)', meaning: 'base raised to the power exponent.' },
  random: { signature: '$random()', meaning: 'A pseudo-random number from 0 up to 1.' },
  boolean: { signature: '$boolean(arg)', meaning: 'The value as a boolean, by JSONata truthiness.' },
  not: { signature: '$not(arg)', meaning: 'The boolean negation of the value.' },
  map: { signature: '$map(array, function)', meaning: 'An array of the function applied to each item.' },
  zip: { signature: '$zip(array1, …)', meaning: 'Arrays combined item by item into an array of arrays.' },
  filter: { signature: '$filter(array, function)', meaning: 'The items for which the function is true.' },
  single: {
    signature: '$single(array, function?)',
    meaning: 'The one item that satisfies the function; an error for none or several.',
  },
  reduce: {
    signature: '$reduce(array, function, init?)',
    meaning: 'The array folded into one value by a function of two arguments.',
  },
  sift: { signature: '$sift(object, function)', meaning: 'The object with only the fields the function accepts.' },
  keys: { signature: '$keys(object)', meaning: 'The field names of an object (of all objects in an array).' },
  lookup: { signature: '$lookup(object, key)', meaning: 'The value of a field of an object.' },
  append: { signature: '$append(array1, array2)', meaning: 'Two arrays (or values) joined into one array.' },
  exists: { signature: '$exists(arg)', meaning: 'Whether the value exists (is not undefined).' },
  spread: { signature: '$spread(object)', meaning: 'An object split into an array of one-field objects.' },
  merge: { signature: '$merge(array<object>)', meaning: 'An array of objects merged into one; later fields win.' },
  reverse: { signature: '$reverse(array)', meaning: 'The array in reverse order.' },
  each: {
    signature: '$each(object, function)',
    meaning: 'An array of the function applied to each value and key of an object.',
  },
  error: { signature: '$error(message)', meaning: 'Stops the evaluation with an error carrying the message.' },
  assert: {
    signature: '$assert(condition, message)',
    meaning: 'Stops with an error carrying the message unless true.',
  },
  type: { signature: '$type(value)', meaning: 'The JSON type of a value: "string", "number", "object", ….' },
  sort: { signature: '$sort(array, function?)', meaning: 'The array sorted, by a comparison function if given.' },
  shuffle: { signature: '$shuffle(array)', meaning: 'The array in random order.' },
  distinct: { signature: '$distinct(array)', meaning: 'The array without repeated values.' },
  base64encode: { signature: '$base64encode(str)', meaning: 'The string in base64 (from UTF-8).' },
  base64decode: { signature: '$base64decode(str)', meaning: 'The string a base64 string encodes.' },
  encodeUrlComponent: {
    signature: '$encodeUrlComponent(str)',
    meaning: 'The string escaped for a URL component (a path segment, a query value).',
  },
  encodeUrl: { signature: '$encodeUrl(str)', meaning: 'The string escaped as a whole URL.' },
  decodeUrlComponent: { signature: '$decodeUrlComponent(str)', meaning: 'The URL component unescaped.' },
  decodeUrl: { signature: '$decodeUrl(str)', meaning: 'The URL unescaped.' },
  toMillis: {
    signature: '$toMillis(timestamp, picture?)',
    meaning: 'Milliseconds since the Unix epoch of an ISO 8601 (or pictured) timestamp.',
  },
  fromMillis: {
    signature: '$fromMillis(number, picture?, timezone?)',
    meaning: 'Milliseconds since the Unix epoch as an ISO 8601 (or pictured) timestamp.',
  },
  clone: { signature: '$clone(value)', meaning: 'A deep copy of a value.' },
  now: {
    signature: '$now(picture?, timezone?)',
    meaning: 'The time the evaluation started, as an ISO 8601 timestamp.',
  },
  millis: { signature: '$millis()', meaning: 'The time the evaluation started, in milliseconds since the Unix epoch.' },
};
