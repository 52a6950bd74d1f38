import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { mockFetch } from '../test/fetch';
import { AccountAudit, AuditTable } from './Audit';
import type { AuditRecord } from '../types';

const SLOW = { timeout: 5000 };

function record(over: Partial<AuditRecord>): AuditRecord {
  return {
    chain: 0, seq: 1, at: '2026-06-01T09:00:00Z', actor_id: 'U1', actor_name: 'Sam Hughes', actor_role: 'practitioner',
    authority_id: 'LA', action: 'child.read', child_id: 'K1', target_id: '', reason: '', outcome: 'allowed',
    why: 'team member', detail: null, client: '127.0.0.1', found_children: [],
    prev_hash: '0'.repeat(64), hash: 'a'.repeat(64), ...over,
  };
}

describe('the audit table', () => {
  afterEach(cleanup);

  it('words every action as the server\'s catalogue does, and marks searches that found the child', async () => {
    mockFetch({
      'GET /api/v1/audit/actions': {
        body: { actions: [{ action: 'child.read', label: 'Opened the child\'s account', kind: 'view' },
                          { action: 'child.search', label: 'Searched the child index', kind: 'search' }] },
      },
      'GET /api/v1/children/K1/audit': {
        body: { records: [
          record({ seq: 2, action: 'child.search', child_id: '', reason: 'A new pupil', found_children: ['K9', 'K1'] }),
          record({ seq: 1 }),
        ] },
      },
    });
    render(<AccountAudit childId="K1" />);
    await waitFor(() => expect(screen.getByText('Searched the child index')).toBeTruthy(), SLOW);
    expect(screen.getByText('Opened the child\'s account')).toBeTruthy();
    expect(screen.getByText(/Found 2 children, this child among them/)).toBeTruthy();
  });

  it('keeps the server\'s own label and names an unknown action readably', async () => {
    mockFetch({ 'GET /api/v1/audit/actions': { body: { actions: [] } } });
    render(<AuditTable records={[
      record({ seq: 3, action: 'misuse.flag.review', action_label: 'Marked a misuse flag reviewed' }),
      record({ seq: 4, action: 'brand.new_thing' }),
    ]} />);
    expect(screen.getByText('Marked a misuse flag reviewed')).toBeTruthy();
    expect(screen.getByText(/Brand new thing/i)).toBeTruthy();
  });
});
