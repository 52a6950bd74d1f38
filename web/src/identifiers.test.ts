import { describe, expect, it } from 'vitest';
import { hasControlCharacters, isValidNhsNumber, isValidPostcode, isValidUpn } from './identifiers';

// The same cases as src/domain/identifiers_test.cpp and child_test.cpp, so the browser and the
// API agree.
describe('identifiers as the API checks them', () => {
  it('NHS numbers: the check digit, with spaces or hyphens allowed', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false); // one digit mistyped
    expect(isValidNhsNumber('943476591')).toBe(false); // nine digits
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943476591a')).toBe(false);
    for (let d = 0; d <= 9; ++d) expect(isValidNhsNumber(`100000001${d}`)).toBe(false); // check digit 10: never issued
    expect(isValidNhsNumber('0000000116')).toBe(true);
    expect(isValidNhsNumber('0000000000')).toBe(true); // check 11 is 0
  });

  it('UPNs: the check letter, lower case, separators and a temporary final letter allowed', () => {
    expect(isValidUpn('H801200001001')).toBe(true);
    expect(isValidUpn('h801 2000 01001')).toBe(true);
    expect(isValidUpn('r801-1200-10012')).toBe(true);
    expect(isValidUpn('H80120000100B')).toBe(true);
    expect(isValidUpn('A801200001001')).toBe(false); // wrong check letter
    expect(isValidUpn('H80120000100')).toBe(false);
    expect(isValidUpn('H8012000010011')).toBe(false);
    expect(isValidUpn('H8012000A1001')).toBe(false); // letters only in the last place
    expect(isValidUpn('I801200001001')).toBe(false); // I is not a check letter
  });

  it('UK postcodes', () => {
    for (const p of ['SW1A 1AA', 'sw1a1aa', 'NB1 2AB', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT']) expect(isValidPostcode(p)).toBe(true);
    for (const p of ['12345', 'SW1A', '1AB 2CD', 'SW1A 1A', 'SW1A-1AA', '']) expect(isValidPostcode(p)).toBe(false);
  });

  it('control characters', () => {
    expect(hasControlCharacters('Leo\tCarter')).toBe(false);
    expect(hasControlCharacters('Leo\nCarter')).toBe(true);
  });
});

