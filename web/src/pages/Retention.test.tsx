import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { RetentionPage, rulesProblems } from './Retention';
import { SessionContext } from '../session';
import { mockFetch, problem } from '../test/fetch';
import type { Session } from '../types';

const session = { user: { id: 'Uadmin_lee', display_name: 'Lee Admin', role: 'authority_admin', authority_id: 'L1' }, state: 'complete', csrf_token: 't' } as unknown as Session;
const page = () => render(<SessionContext.Provider value={{ session, signOut: () => undefined }}><RetentionPage /></SessionContext.Provider>);
const SLOW = { timeout: 5000 };
const type = (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const fieldError = (id: string) => document.getElementById(`${id}-error`)?.textContent?.replace('Error:', '').trim();

const RULES = { authority_id: 'L1', version: 2, updated_by: 'Uadmin_lee', updated_at: '2026-12-01T10:00:00Z', archive_age_years: 18,
                extended_archive_age_years: 25, purge_after_archive_years: 6, purge_after_death_years: 6, remove_unused_after_months: 24 };
const HOLD = { id: 'H1', child_id: 'K1ABC', authority_id: 'L1', kind: 'inquiry', reason: 'Independent inquiry into the placement',
               starts_on: '2026-12-01', ends_on: '2027-12-01', placed_by: 'Uadmin_lee', placed_at: '2026-12-01T10:00:00Z',
               released_on: null, released_by: null, release_reason: null };
const DUE = { from: '2026-12-07', until: '2027-03-07', checked: 40, more: 0, no_date_of_birth: 1, steps: [
  { child_id: 'K2DEF', step: 'archive', due_on: '2026-12-07', rule: 'death', due_now: true, held_by: [] },
  { child_id: 'K1ABC', step: 'remove_from_index', due_on: '2027-12-02', rule: 'unused', due_now: false, held_by: ['H1'] },
] };

describe('the checks on the rules, as the API makes them', () => {
  it('names each field at fault', () => {
    const ok = { archive_age_years: '18', extended_archive_age_years: '25', purge_after_archive_years: '6', purge_after_death_years: '6', remove_unused_after_months: '24' };
    expect(rulesProblems(ok)).toEqual({});
    const found = rulesProblems({ ...ok, extended_archive_age_years: '16', purge_after_archive_years: '0', remove_unused_after_months: 'two' });
    expect(Object.keys(found)).toEqual(['extended_archive_age_years', 'purge_after_archive_years', 'remove_unused_after_months']);
    expect(found).toEqual({
      extended_archive_age_years: 'The age for care leavers and young people with SEN cannot be below the age for every other child',
      purge_after_archive_years: 'Enter from 1 to 100 years',
      remove_unused_after_months: 'Enter a whole number of months',
    });
  });
});

describe('RetentionPage', () => {
  afterEach(cleanup);

  it('shows the rules, the holds in force and what is due; a contradiction is shown at its field and nothing is sent', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/authorities/L1/retention-rules': { body: RULES },
      'GET /api/v1/authorities/L1/legal-holds': { body: { holds: [HOLD] } },
      'GET /api/v1/authorities/L1/retention-due': { body: DUE },
      'PUT /api/v1/authorities/L1/retention-rules': problem(409, 'conflict', 'These rules would bring the removal of child K1ABC inside hold H1; release the hold first.'),
    });
    page();
    expect((await screen.findByTestId('rules-version', {}, SLOW)).textContent).toMatch(/Version 2/);
    expect((await screen.findAllByTestId('hold')).map((r) => r.textContent)).toEqual([expect.stringContaining('K1ABC')]);
    const steps = await screen.findAllByTestId('due-step');
    expect(steps.map((r) => r.textContent)).toEqual([expect.stringMatching(/Due now.*K2DEF.*Archive.*Death/), expect.stringMatching(/K1ABC.*Remove from the index.*Held.*H1/)]);
    expect(screen.getByTestId('no-date').textContent).toMatch(/1 child has no date of birth/);

    type('Archive at this age for care leavers and young people with SEN', '16');
    fireEvent.click(screen.getByRole('button', { name: 'Save the rules' }));
    await waitFor(() => expect(fieldError('rules-extended_archive_age_years')).toMatch(/cannot be below/), SLOW);
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);

    // The API's refusal (a held child) is shown in the summary; the version read is sent.
    type('Archive at this age for care leavers and young people with SEN', '25');
    type(/Remove a child with no team/, '1');
    fireEvent.click(screen.getByRole('button', { name: 'Save the rules' }));
    const summary = await screen.findByTestId('form-error', {}, SLOW);
    expect(summary.textContent).toMatch(/child K1ABC inside hold H1/);
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ ...Object.fromEntries(Object.entries(RULES).filter(([k]) => k.endsWith('years') || k.endsWith('months'))), remove_unused_after_months: 1, version: 2 });
  });

  it('marks the field the API names', async () => {
    mockFetch({
      'GET /api/v1/authorities/L1/retention-rules': { body: RULES },
      'GET /api/v1/authorities/L1/legal-holds': { body: { holds: [] } },
      'GET /api/v1/authorities/L1/retention-due': { body: { ...DUE, steps: [], no_date_of_birth: 0 } },
      'PUT /api/v1/authorities/L1/retention-rules': problem(400, 'invalid_input', 'purge_after_death_years is too long.', 'purge_after_death_years'),
    });
    page();
    await screen.findByTestId('no-holds', {}, SLOW);
    expect(screen.getByTestId('due-summary').textContent).toMatch(/Nothing falls due/);
    fireEvent.click(screen.getByRole('button', { name: 'Save the rules' }));
    await waitFor(() => expect(fieldError('rules-purge_after_death_years')).toBe('purge_after_death_years is too long.'), SLOW);
  });

  it('places a hold after checking it, and releases one with a reason', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/authorities/L1/retention-rules': { body: RULES },
      'GET /api/v1/authorities/L1/legal-holds': { body: { holds: [HOLD] } },
      'GET /api/v1/authorities/L1/retention-due': { body: DUE },
      'POST /api/v1/children/K9XYZ/legal-holds': (call) => ({ status: 201, body: { ...HOLD, id: 'H2', child_id: 'K9XYZ', ...(call.body as object) } }),
      'POST /api/v1/legal-holds/H1/release': { body: { ...HOLD, released_on: '2026-12-07' } },
    });
    page();
    const form = await screen.findByTestId('place-hold-form', {}, SLOW);
    fireEvent.click(within(form).getByRole('button', { name: 'Place the hold' }));
    await waitFor(() => expect(fieldError('hold-child_id')).toMatch(/Kith id/), SLOW);
    expect(fieldError('hold-kind')).toBe('Choose why the record is held');
    expect(fieldError('hold-reason')).toBe('Enter why the record must be kept');
    expect(fieldError('hold-ends_on')).toBe('Enter the end date');
    type("Child's Kith id", 'k9xyz');
    fireEvent.change(screen.getByLabelText('Why is the record held?'), { target: { value: 'litigation' } });
    type('Reason', 'Civil claim against the authority, case 123');
    const ends = document.getElementById('hold-ends_on')!.closest('fieldset')!;
    fireEvent.input(within(ends).getByLabelText('Day'), { target: { value: '1' } });
    fireEvent.input(within(ends).getByLabelText('Month'), { target: { value: '6' } });
    fireEvent.input(within(ends).getByLabelText('Year'), { target: { value: '2099' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Place the hold' }));
    expect(await screen.findByText(/A hold was placed on K9XYZ/, {}, SLOW)).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ kind: 'litigation', reason: 'Civil claim against the authority, case 123', ends_on: '2099-06-01' });

    fireEvent.click(screen.getByRole('button', { name: 'Release the hold on K1ABC' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Release the hold' }));
    await waitFor(() => expect(fieldError('release-reason')).toBe('Enter why the hold is released'), SLOW);
    type('Why is the hold on K1ABC released?', 'The inquiry reported; nothing more is needed');
    fireEvent.click(screen.getByRole('button', { name: 'Release the hold' }));
    expect(await screen.findByText('The hold on K1ABC was released.', {}, SLOW)).toBeTruthy();
    expect(calls.find((c) => c.url.endsWith('/release'))?.body).toEqual({ reason: 'The inquiry reported; nothing more is needed' });
  });
});
