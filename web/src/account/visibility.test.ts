import { describe, expect, it } from 'vitest';
import { NO_CHOICE, visibilityBody } from './Visibility';

describe('visibilityBody', () => {
  it('sends nothing for the authority default', () => {
    expect(visibilityBody(NO_CHOICE)).toEqual({});
  });
  it('sends a restriction with its reason and trimmed text', () => {
    expect(visibilityBody({ visibility: 'team', reason: 'other', text: '  Names a neighbour ' })).toEqual({
      visibility: 'team',
      restriction_reason: 'other',
      restriction_text: 'Names a neighbour',
    });
  });
  it('never sends a reason with a shared entry', () => {
    expect(visibilityBody({ visibility: 'team_and_family', reason: 'other', text: 'left over' })).toEqual({ visibility: 'team_and_family' });
  });
});
