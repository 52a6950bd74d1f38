// The text equivalents of the graph, the word cloud and the wheel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { ContactTable, FlagList } from './ContactGraph';
import { sortTerms, WordList } from './WordCloud';
import { concernsFor, PeopleList } from './Wheel';
import type { ContactSeries, Term, Wheel } from '../types';

const series: ContactSeries = {
  granularity: 'month',
  buckets: [
    { start: '2026-08-01', end: '2026-09-01', label: 'Aug 2026', partial: false },
    { start: '2026-09-01', end: '2026-10-01', label: 'Sep 2026', partial: true },
  ],
  totals: [3, 4],
  agencies: [
    { agency_id: 'AHV', name: 'Health visiting', kind: 'health_visiting', counts: [3, 0], total: 3, last_contact: '2026-08-20' },
    { agency_id: 'APOL', name: 'Police', kind: 'police', counts: [0, 4], total: 4, last_contact: '2026-09-12' },
  ],
  flags: [
    { kind: 'stopped_seeing', agency_id: 'AHV', bucket_index: 1, explanation: 'No health visiting contact since August.' },
    { kind: 'sudden_rise', agency_id: null, bucket_index: 1, explanation: 'Four contacts in a month.', p_value: 0.004 },
  ],
};

describe('contact graph text equivalent', () => {
  afterEach(cleanup);
  it('tabulates every count per agency and bucket, with totals and flags in words', () => {
    render(<ContactTable series={series} />);
    const table = screen.getByTestId('contact-table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4); // header, two buckets, total
    expect(rows[2].textContent).toContain('Sep 2026 (so far)');
    expect(rows[2].textContent).toContain('(Sudden rise in contact)');
    expect(rows[2].textContent).toContain('(Stopped seeing the child)');
    expect(rows[3].textContent).toBe('Total734');
  });
  it('lists spikes and drop-offs with the agency and the period', () => {
    render(<FlagList series={series} />);
    const items = within(screen.getByTestId('contact-flags')).getAllByRole('listitem');
    expect(items[0].textContent).toContain('Stopped seeing the child: Health visiting, Sep 2026 (so far).');
    expect(items[1].textContent).toContain('Sudden rise in contact: All agencies together, Sep 2026 (so far).');
  });
});

describe('word cloud text equivalent', () => {
  afterEach(cleanup);
  it('offers every word as a toggle button with its count', () => {
    const terms: Term[] = [
      { term: 'bruise', display: 'bruise', phrase: false, safeguarding: true, weight: 1, count: 5, entry_count: 1, entry_ids: ['E1'] },
      { term: 'missed appointment', display: 'missed appointment', phrase: true, safeguarding: true, weight: 0.5, count: 3, entry_count: 1, entry_ids: ['E2'] },
    ];
    const onSelect = vi.fn();
    render(<WordList terms={terms} selected="bruise" onSelect={onSelect} />);
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false']);
    expect(buttons[1].textContent).toContain('missed appointment');
    expect(buttons[1].textContent).toContain('(3)');
    fireEvent.click(buttons[1]);
    expect(onSelect).toHaveBeenCalledWith(terms[1]);
  });
});

describe('the word list\'s order', () => {
  const t = (display: string, weight: number, count: number): Term =>
    ({ term: display, display, phrase: false, safeguarding: false, weight, count, entry_count: count, entry_ids: [] });
  const terms = [t('visit', 0.4, 9), t('burn', 1, 2), t('bruising', 0.8, 4), t('mother', 0.4, 9)];
  it('"most mentioned first" is by count (ties: weight, then name)', () => {
    expect(sortTerms(terms, 'mentions').map((x) => x.display)).toEqual(['mother', 'visit', 'bruising', 'burn']);
  });
  it('"stands out most first" is by weight, as the picture', () => {
    expect(sortTerms(terms, 'distinctive').map((x) => x.display)).toEqual(['burn', 'bruising', 'mother', 'visit']);
  });
});

describe('wheel text equivalent', () => {
  afterEach(cleanup);
  const person = (id: string, name: string, relationship: string, category: 'family' | 'household' | 'professional', extra = {}) => ({
    id, name, relationship, category, lives_with_child: true, since: null, date_of_birth: null, adult: true, verified: true,
    verified_by_agency_id: null, notes: '', user_id: null, version: 1, ...extra,
  });
  const wheel: Wheel = {
    child: { id: 'K1', name: 'Leo Carter', age: 1 },
    people: [person('P1', 'Tracey Carter', 'mother', 'family'), person('P2', 'Jason Kerr', 'unknown', 'household', { verified: false })],
    findings: [
      { kind: 'unexplained_adult_in_household', group: 'unexplained_role', severity: 'serious', explanation: 'An adult lives at the address with no stated relationship.', person_ids: ['P2'], facts: [] },
      { kind: 'school_age_without_school', group: 'gap', severity: 'info', explanation: 'Info only.', person_ids: ['P1'], facts: [] },
    ],
  };
  it('flags the unexplained adult in words, not colour alone', () => {
    render(<PeopleList wheel={wheel} typeLabel={(c) => c} onSelect={vi.fn()} />);
    const list = screen.getByTestId('wheel-list');
    const items = within(list).getAllByRole('listitem');
    const jason = items.find((li) => li.textContent!.includes('Jason Kerr'))!;
    const tracey = items.find((li) => li.textContent!.includes('Tracey Carter'))!;
    expect(jason.textContent).toContain('not verified');
    expect(within(jason).getByTestId('unexplained').textContent).toBe('Concern');
    expect(within(tracey).queryByTestId('unexplained')).toBeNull();
  });
  it('treats info findings as notes, not concerns', () => {
    expect(concernsFor(wheel.findings, 'P1')).toEqual([]);
    expect(concernsFor(wheel.findings, 'P2')).toHaveLength(1);
  });
});
