import { describe, expect, it } from 'vitest';
import { age, bucketLabel, entryTypeLabel, formatDate, humanise } from './format';

describe('format', () => {
  it('formats dates the UK way', () => {
    expect(formatDate('2026-03-04')).toBe('4 March 2026');
    expect(formatDate(null)).toBe('Not known');
  });
  it('gives ages in months under two and years after', () => {
    const today = new Date(2026, 10, 22);
    expect(age('2025-01-21', today)).toBe('22 months');
    expect(age('2011-02-20', today)).toBe('15 years');
    expect(age('2024-11-23', today)).toBe('23 months');
  });
  it('labels graph buckets readably', () => {
    expect(bucketLabel('2026-07')).toBe('Jul 2026');
    expect(bucketLabel('2026-07-14')).toBe('14 Jul 2026');
    expect(bucketLabel('Week 3')).toBe('Week 3');
  });
  it('labels codes', () => {
    expect(entryTypeLabel('was_not_brought')).toBe('Was not brought to appointment');
    expect(humanise('parents_partner')).toBe('Parents partner');
  });
});
