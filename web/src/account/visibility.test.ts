import { describe, expect, it } from 'vitest';
import { familyWillSee, TEAM_ONLY, UNCHANGED, visibilityBody } from './Visibility';

describe('visibilityBody', () => {
  it('sends nothing when a correction keeps the visibility as it is', () => {
    expect(visibilityBody(UNCHANGED)).toEqual({});
  });
  it('sends "team" for a new entry nobody chose to share', () => {
    expect(visibilityBody(TEAM_ONLY)).toEqual({ visibility: 'team' });
  });
  it('sends a restriction with its reason and trimmed text', () => {
    expect(visibilityBody({ choice: 'restrict', reason: 'other', text: '  Names a neighbour ' })).toEqual({
      visibility: 'team',
      restriction_reason: 'other',
      restriction_text: 'Names a neighbour',
    });
  });
  it('never sends a reason with a shared entry', () => {
    expect(visibilityBody({ choice: 'team_and_family', reason: 'other', text: 'left over' })).toEqual({ visibility: 'team_and_family' });
  });
});

describe('familyWillSee', () => {
  const shared = { visibility: 'team_and_family' as const, restriction_reason: null, restriction_text: '', review: 'none' as const };
  const team = { ...shared, visibility: 'team' as const };
  it('is true only when sharing is chosen, or kept as it is on something shared', () => {
    expect(familyWillSee(TEAM_ONLY)).toBe(false);
    expect(familyWillSee({ choice: 'team_and_family', reason: '', text: '' })).toBe(true);
    expect(familyWillSee({ choice: 'restrict', reason: 'third_party', text: '' })).toBe(false);
    expect(familyWillSee(UNCHANGED, shared)).toBe(true);
    expect(familyWillSee(UNCHANGED, team)).toBe(false);
    expect(familyWillSee(TEAM_ONLY, shared)).toBe(false);
  });
});
