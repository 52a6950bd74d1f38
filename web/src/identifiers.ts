// The checks the API makes on a child's identifiers (src/domain/identifiers.cpp and
// NormalisePostcode in src/domain/child.cpp), made in the browser so that every problem a form
// can know shows at once, before anything is sent. The rules are the API's; these functions only
// say yes or no, and the forms word the message.

/** Separators people type in groups ("943 476 5919", "943-476-5919") mean nothing. */
function compact(text: string): string {
  return text.replace(/[ -]/g, '').toUpperCase();
}

/**
 * An NHS number: 10 digits whose last is the modulus-11 check digit over the first nine
 * (weights 10..2; 11 is 0, 10 is never issued).
 */
export function isValidNhsNumber(text: string): boolean {
  const d = compact(text);
  if (!/^\d{10}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; ++i) sum += Number(d[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(d[9]);
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * A Unique Pupil Number: 13 characters, a check letter then 11 digits and a final digit or (a
 * temporary UPN) letter; the check letter is the sum of characters 2..13 times weights 2..13,
 * modulo 23, as a letter of UPN_LETTERS (a final letter counts as its place in that alphabet).
 */
export function isValidUpn(text: string): boolean {
  const u = compact(text);
  if (u.length !== 13) return false;
  let sum = 0;
  for (let i = 1; i < 13; ++i) {
    const c = u[i];
    let value: number;
    if (/\d/.test(c)) value = Number(c);
    else if (i === 12 && UPN_LETTERS.includes(c)) value = UPN_LETTERS.indexOf(c);
    else return false;
    sum += value * (i + 1);
  }
  return UPN_LETTERS[sum % 23] === u[0];
}

/** A UK postcode: an outward code of 2 to 4 characters starting with a letter, then a digit and two letters. */
export function isValidPostcode(text: string): boolean {
  const p = text.replace(/ /g, '').toUpperCase();
  return /^[A-Z][A-Z0-9]{1,3}[0-9][A-Z]{2}$/.test(p);
}

/** Control characters (other than tab), which the API refuses in text. */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f]/.test(text);
}
