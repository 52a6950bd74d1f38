import { describe, expect, it } from 'vitest';
import { parts, PART_BYTES } from './Imports';
import { isIndexSteward, mayReviewIndex } from '../session';
import type { Session } from '../types';

describe('parts of a file', () => {
  it('splits a file into parts under the server body limit, covering every byte once', () => {
    expect(parts(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(parts(8, 4)).toEqual([[0, 4], [4, 8]]);
    expect(parts(3)).toEqual([[0, 3]]);
    expect(PART_BYTES).toBeLessThan(1 << 20);
  });
  it('sends an empty file as one (empty) part so the server explains what is wrong', () => {
    expect(parts(0)).toEqual([[0, 0]]);
  });
});

describe('who sees the index pages', () => {
  const session = (role: string, index_steward: boolean) =>
    ({ user: { role, index_steward }, state: 'complete', csrf_token: 't' }) as unknown as Session;
  it('gives imports to index stewards who work with children, and the review queue to managers too', () => {
    expect(isIndexSteward(session('practitioner', true))).toBe(true);
    expect(isIndexSteward(session('manager', false))).toBe(false);
    expect(isIndexSteward(session('auditor', true))).toBe(false);
    expect(mayReviewIndex(session('manager', false))).toBe(true);
    expect(mayReviewIndex(session('practitioner', true))).toBe(true);
    expect(mayReviewIndex(session('practitioner', false))).toBe(false);
  });
});
