import { describe, expect, it } from 'vitest';
import { familyWillSee, releaseMessage, TEAM_ONLY, UNCHANGED, visibilityBody } from './Visibility';
import type { FamilyRelease, ReleaseOutcome } from '../types';

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

describe('releaseMessage', () => {
  const base = { released: false, visibility: {} } as unknown as ReleaseOutcome;
  const part = (agency_name: string, agency_on_team: boolean, told?: string[]) =>
    ({ agency_name, agency_on_team, status: 'pending', ...(told ? { told } : {}) }) as unknown as FamilyRelease;

  it('says who was told to join when nobody from the agency is on the team', () => {
    const text = releaseMessage({ ...base, requests: [part('Northbrook Police', false, ['PC Amy Shaw'])] }, 'Police call-out');
    expect(text).toContain('We have asked Northbrook Police to agree to share “Police call-out”.');
    expect(text).toContain('Nobody from Northbrook Police is on the team: we have told PC Amy Shaw to ask to join the team and answer.');
  });

  it('says what to do when the agency has nobody Kith could tell', () => {
    const text = releaseMessage({ ...base, requests: [part('Northbrook Police', false, [])] }, 'Police call-out');
    expect(text).toContain('contact Northbrook Police and ask them to join the team to answer');
  });

  it('adds nothing when the agency is on the team', () => {
    const text = releaseMessage({ ...base, requests: [part('Hillside Primary', true)] }, 'Note');
    expect(text).toBe('We have asked Hillside Primary to agree to share “Note”. It stays within the team until they agree.');
  });
});
