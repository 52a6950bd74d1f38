import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { FamilyHome } from './Family';
import { mockFetch } from '../test/fetch';
import type { FamilyChild, FamilyEntry } from '../types';

const mine = (id: string, kind: FamilyEntry['kind'], about_kind: FamilyEntry['about_kind'], text: string): FamilyEntry => ({
  id, child_id: 'K1', kind, about_entry_id: about_kind ? `X${id}` : null, about_kind, text,
  author_name: 'Tracey Carter', relation: 'parent_carer', created_at: '2026-11-20T10:00:00Z',
});

describe('FamilyHome', () => {
  afterEach(cleanup);
  it('lists a view on the early help assessment as one, not as a response to an entry', async () => {
    const child: FamilyChild = {
      child: { child_id: 'K1', name: 'Leo Carter', relation: 'parent_carer' },
      date_of_birth: '2019-03-14',
      team: [],
      contact_through: null,
      entries: [],
      threads: [],
      my_entries: [
        mine('1', 'response', 'assessment', 'We do go to appointments.'),
        mine('2', 'disagreement', 'assessment', 'The bus is the problem.'),
        mine('3', 'response', 'entry', 'About the home visit.'),
      ],
      early_help: [],
    };
    mockFetch({
      'GET /api/v1/family/children': { body: { children: [child.child] } },
      'GET /api/v1/family/children/K1': { body: child },
    });
    render(<FamilyHome />);
    await waitFor(() => expect(screen.getByTestId('my-entries')).toBeTruthy());
    const items = [...screen.getByTestId('my-entries').querySelectorAll('li')].map((li) => li.querySelector('strong')!.textContent);
    expect(items).toEqual([
      'My view on the early help assessment',
      'I disagree with part of the early help assessment',
      'A response to an entry',
    ]);
  });
});
