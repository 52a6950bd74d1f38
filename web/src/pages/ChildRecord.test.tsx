import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { deathProblems, EditRecord, NewChildPage, recordProblems, type RecordFields } from './ChildRecord';
import { SessionContext } from '../session';
import { mockFetch, problem } from '../test/fetch';
import type { Child, Session } from '../types';

const session = { user: { id: 'U1', display_name: 'Hannah Ellis', role: 'practitioner', authority_id: 'L1' }, state: 'complete', csrf_token: 't' } as unknown as Session;
const withSession = (node: preact.ComponentChildren) => <SessionContext.Provider value={{ session, signOut: () => undefined }}>{node}</SessionContext.Provider>;
const SLOW = { timeout: 5000 };

const type = (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
/** The summary's links as [message, target]. */
async function summary(): Promise<[string, string][]> {
  const box = await screen.findByTestId('form-error', {}, SLOW);
  return [...box.querySelectorAll('a')].map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']);
}
const fieldError = (id: string) => document.getElementById(`${id}-error`)?.textContent?.replace('Error:', '').trim();

const BLANK: RecordFields = { given_names: 'Leo', family_name: 'Carter', date_of_birth: '', sex: 'male', address: '', postcode: '', nhs_number: '', upn: '' };

describe('the checks on a child record, as the API makes them', () => {
  it('finds every problem at once, in plain words', () => {
    const found = recordProblems({ ...BLANK, given_names: ' ', family_name: '', date_of_birth: '1990-05-01', postcode: '12345', nhs_number: '943 476 5918', upn: 'A801200001001' }, '2026-12-07');
    expect(found).toEqual({
      given_names: "Enter the child's first name",
      family_name: "Enter the child's last name",
      date_of_birth: 'Kith holds children and care leavers up to 25: check the year of birth',
      postcode: 'Enter a real UK postcode, like SW1A 1AA',
      nhs_number: 'Check the NHS number: one of the digits is wrong',
      upn: 'Check the Unique Pupil Number: one of the characters is wrong',
    });
    expect(recordProblems({ ...BLANK, postcode: 'nb1 2ab', nhs_number: '943-476-5919', upn: 'h801 2000 01001', date_of_birth: '2000-12-08' }, '2026-12-07')).toEqual({});
    expect(recordProblems({ ...BLANK, date_of_birth: '2000-12-07' }, '2026-12-07').date_of_birth).toMatch(/up to 25/); // 26 today
    expect(recordProblems({ ...BLANK, date_of_birth: '2026-2-30' }, '2026-12-07').date_of_birth).toBe('The date of birth must be a real date');
    expect(recordProblems({ ...BLANK, nhs_number: '94347659' }, '2026-12-07').nhs_number).toBe('Enter the NHS number as 10 digits, like 943 476 5919');
    expect(recordProblems({ ...BLANK, family_name: 'x'.repeat(101) }, '2026-12-07').family_name).toBe('Last name must be 100 characters or fewer');
  });
});

describe('NewChildPage', () => {
  afterEach(cleanup);

  it('shows every problem at once, linked and marked, and sends nothing', async () => {
    const { calls } = mockFetch({});
    render(withSession(<NewChildPage />));
    type('Last name', 'Carter');
    type('NHS number (optional)', '943 476 5918');
    type('Unique Pupil Number (optional)', 'A801200001001');
    type('Postcode (optional)', 'NB1');
    type('Why are you adding this child?', 'Referral');
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await summary()).toEqual([
      ["Enter the child's first name", '#nc-given_names'],
      ['Enter a real UK postcode, like SW1A 1AA', '#nc-postcode'],
      ['Check the NHS number: one of the digits is wrong', '#nc-nhs_number'],
      ['Check the Unique Pupil Number: one of the characters is wrong', '#nc-upn'],
      ['Your reason must be at least 10 characters', '#nc-reason'],
    ]);
    expect(fieldError('nc-given_names')).toBe("Enter the child's first name");
    expect(fieldError('nc-nhs_number')).toMatch(/^Check the NHS number/);
    expect(fieldError('nc-upn')).toMatch(/^Check the Unique Pupil Number/);
    expect(fieldError('nc-postcode')).toBe('Enter a real UK postcode, like SW1A 1AA');
    expect(fieldError('nc-reason')).toBe('Your reason must be at least 10 characters');
    expect(fieldError('nc-family_name')).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it("marks the field the API names, in the search's names or the record's", async () => {
    mockFetch({
      'POST /api/v1/search': { body: { results: [], truncated: false } },
      'POST /api/v1/children': problem(400, 'invalid_input', 'Enter a real UK postcode, like SW1A 1AA', 'postcode'),
    });
    render(withSession(<NewChildPage />));
    type('First name', 'Leo');
    type('Last name', 'Carter');
    type('Why are you adding this child?', 'Referral from the school nurse');
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await summary()).toEqual([['Enter a real UK postcode, like SW1A 1AA', '#nc-postcode']]);
    expect(fieldError('nc-postcode')).toBe('Enter a real UK postcode, like SW1A 1AA');
    cleanup();

    mockFetch({ 'POST /api/v1/search': problem(400, 'invalid_input', 'Enter a first name of at most 100 characters.', 'given_name') });
    render(withSession(<NewChildPage />));
    type('First name', 'Leo');
    type('Last name', 'Carter');
    type('Why are you adding this child?', 'Referral from the school nurse');
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await summary()).toEqual([['Enter a first name of at most 100 characters.', '#nc-given_names']]);
    expect(fieldError('nc-given_names')).toBe('Enter a first name of at most 100 characters.');
  });
});

describe('EditRecord', () => {
  afterEach(cleanup);

  it('checks the identifiers before saving and sends the whole record', async () => {
    const child = {
      id: 'K1', authority_id: 'L1', version: 3, given_names: 'Leo', family_name: 'Carter', other_names: [], date_of_birth: '2019-03-14', sex: 'male',
      address: '1 High St', postcode: 'NB1 2AB', nhs_number: '', upn: '', carers: [], services: [], school_id: null, gp_practice_id: null,
      flags: { early_help_assessment: false, child_protection_plan: false, looked_after: false, care_leaver: false, special_educational_needs: false },
      shielded: false, date_of_death: null,
    } as unknown as Child;
    const { calls } = mockFetch({ 'PUT /api/v1/children/K1': { body: child } });
    let saved = false;
    render(withSession(<EditRecord child={child} onSaved={() => (saved = true)} onCancel={() => undefined} />));
    type('NHS number (optional)', '943 476 5918');
    type('Postcode (optional)', '');
    fireEvent.click(screen.getByRole('button', { name: 'Save the record' }));
    expect(await summary()).toEqual([['Check the NHS number: one of the digits is wrong', '#ec-nhs_number']]);
    expect(calls).toHaveLength(0);
    type('NHS number (optional)', '943 476 5919');
    fireEvent.click(screen.getByRole('button', { name: 'Save the record' }));
    await waitFor(() => expect(saved).toBe(true), SLOW);
    expect(calls[0].body).toMatchObject({ version: 3, given_names: 'Leo', nhs_number: '943 476 5919', postcode: '', address: '1 High St', date_of_birth: '2019-03-14' });
  });

  it('sets the care leaver and SEN flags and a date of death, checked against the date of birth', async () => {
    const child = {
      id: 'K1', authority_id: 'L1', version: 3, given_names: 'Leo', family_name: 'Carter', other_names: [], date_of_birth: '2019-03-14', sex: 'male',
      address: '', postcode: '', nhs_number: '', upn: '', carers: [], services: [], school_agency_id: '', gp_agency_id: '',
      flags: { early_help_assessment: false, child_protection_plan: true, looked_after: true, care_leaver: false, special_educational_needs: false },
      shielded: false, date_of_death: null,
    } as unknown as Child;
    const { calls } = mockFetch({ 'PUT /api/v1/children/K1': { body: child } });
    let saved = false;
    render(withSession(<EditRecord child={child} onSaved={() => (saved = true)} onCancel={() => undefined} />));
    fireEvent.click(screen.getByLabelText('Care leaver'));
    fireEvent.click(screen.getByLabelText('Special educational needs (SEN)'));
    const death = document.getElementById('ec-date_of_death')!.closest('fieldset')!;
    const box = (name: string) => death.querySelector<HTMLInputElement>(`input[id$="${name}"]`)!;
    fireEvent.input(box('ec-date_of_death'), { target: { value: '2' } });
    fireEvent.input(box('-month'), { target: { value: '1' } });
    fireEvent.input(box('-year'), { target: { value: '2019' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the record' }));
    expect(await summary()).toEqual([['The date of death must be on or after the date of birth', '#ec-date_of_death']]);
    expect(calls).toHaveLength(0);
    fireEvent.input(box('-year'), { target: { value: '2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the record' }));
    await waitFor(() => expect(saved).toBe(true), SLOW);
    expect(calls[0].body).toMatchObject({
      date_of_death: '2026-01-02',
      flags: { care_leaver: true, special_educational_needs: true, child_protection_plan: true, looked_after: true },
    });
  });

  it('refuses a date of death in the future or before the birth, as the API does', () => {
    const r = { care_leaver: false, special_educational_needs: false, date_of_death: '' };
    expect(deathProblems(r, '2019-03-14')).toEqual({});
    expect(deathProblems({ ...r, date_of_death: '2019-03-13' }, '2019-03-14').date_of_death).toBe('The date of death must be on or after the date of birth');
    expect(deathProblems({ ...r, date_of_death: '2999-01-01' }, '2019-03-14').date_of_death).toBe('The date of death must be today or in the past');
    expect(deathProblems({ ...r, date_of_death: '2026-2-30' }, '').date_of_death).toBe('The date of death must be a real date');
  });
});
