// GOV.UK errors and dates: the checks' words, the summary linking to each field, the field
// marked, and the day, month and year boxes.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { check, DateField, dateProblem, FormErrors, partsOf, Problem, TextField, valueOf } from './ui';
import { SessionContext } from '../session';
import type { Session } from '../types';
import { recordProblems } from '../pages/ChildRecord';

describe('dates', () => {
  it('keeps what was typed until it is a real date, then writes it as YYYY-MM-DD', () => {
    expect(valueOf({ day: '7', month: '5', year: '2026' })).toBe('2026-05-07');
    expect(valueOf({ day: '31', month: '2', year: '2026' })).toBe('2026-2-31');
    expect(valueOf({ day: '', month: '', year: '' })).toBe('');
    expect(partsOf('2026-05-07')).toEqual({ day: '7', month: '5', year: '2026' });
    expect(partsOf('2026--31')).toEqual({ day: '31', month: '', year: '2026' });
  });
  it('says what is wrong in GOV.UK words', () => {
    expect(dateProblem('', 'the date of the event', { required: true })).toBe('Enter the date of the event');
    expect(dateProblem('', 'the date of birth')).toBeUndefined();
    expect(dateProblem('2026--31', 'the date of the event')).toBe('The date of the event must include a month');
    expect(dateProblem('--31', 'the date of birth')).toBe('The date of birth must include a month and a year');
    expect(dateProblem('26-5-7', 'the date of birth')).toBe('Year must include 4 numbers');
    expect(dateProblem('2026-2-31', 'the date of birth')).toBe('The date of birth must be a real date');
    expect(dateProblem('2999-01-01', 'the date of birth', { notFuture: true })).toBe('The date of birth must be today or in the past');
    expect(dateProblem('1850-01-01', 'the date of birth')).toBe('The date of birth must be after 1899');
  });
  it('renders three labelled boxes and reports a real date', () => {
    let value = '';
    function Harness() {
      const [v, setV] = useState('');
      value = v;
      return <DateField id="d" label="Date of birth" value={v} onInput={setV} />;
    }
    render(<Harness />);
    fireEvent.input(screen.getByLabelText('Day'), { target: { value: '14' } });
    fireEvent.input(screen.getByLabelText('Month'), { target: { value: '3' } });
    fireEvent.input(screen.getByLabelText('Year'), { target: { value: '2019' } });
    expect(value).toBe('2019-03-14');
  });
  afterEach(cleanup);
});

describe('the error summary', () => {
  afterEach(cleanup);
  it('lists the checks and the server\'s answer, links each to its field, and marks the field', () => {
    const error = new ApiError({ status: 400, title: 'The request is not valid', detail: 'Not a valid NHS number', code: 'invalid_input', field: 'nhs_number' });
    render(
      <FormErrors idPrefix="x" errors={check([['name', 'Enter the name'], ['name', 'never shown'], ['other', false]])} error={error}>
        <TextField id="x-name" label="Name" value="" onInput={() => undefined} />
        <TextField id="x-nhs_number" label="NHS number" value="" onInput={() => undefined} />
      </FormErrors>,
    );
    const summary = screen.getByTestId('form-error');
    expect(summary.querySelector('h2')!.textContent).toBe('There is a problem');
    expect([...summary.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Enter the name', '#x-name'],
      ['Not a valid NHS number', '#x-nhs_number'],
    ]);
    expect(document.getElementById('x-name-error')!.textContent).toContain('Enter the name');
    expect(document.getElementById('x-nhs_number-error')!.textContent).toContain('Not a valid NHS number');
    expect(summary.textContent).not.toContain('Reference');
  });
});

describe('a child\'s record', () => {
  it('is checked as the API checks it, in plain words', () => {
    const blank = { given_names: '', family_name: '', date_of_birth: '', sex: 'not_known', address: '', postcode: '', nhs_number: '', upn: '' };
    expect(recordProblems(blank)).toEqual({ given_names: "Enter the child's first name", family_name: "Enter the child's last name" });
    expect(recordProblems({ ...blank, given_names: 'Leo', family_name: 'Carter', nhs_number: '94347659', upn: 'A12' })).toEqual({
      nhs_number: 'Enter the NHS number as 10 digits, like 943 476 5919',
      upn: 'Enter all 13 characters of the Unique Pupil Number',
    });
  });
});

describe('a page that fails to load', () => {
  afterEach(cleanup);
  const notFound = () => {
    const e = new ApiError({ status: 404, title: 'Not found', detail: 'You are not linked to that child in Kith.', code: 'not_found', instance: 'urn:kith:request:95947-669' });
    expect(e.requestId).toBe('95947-669');
    return e;
  };
  const as = (role: string) => ({ user: { id: 'U1', display_name: 'Tracey Carter', role, authority_id: 'L1' }, state: 'complete', csrf_token: 't' }) as unknown as Session;
  it('never shows a family member a reference number (issue 15)', () => {
    render(
      <SessionContext.Provider value={{ session: as('family'), signOut: () => undefined }}>
        <Problem error={notFound()} what="Leo's page" />
      </SessionContext.Provider>,
    );
    const problem = screen.getByTestId('problem');
    expect(problem.textContent).toContain('You are not linked to that child in Kith.');
    expect(problem.textContent).not.toContain('Reference');
    expect(problem.textContent).not.toContain('95947-669');
  });
  it('shows staff the reference to quote', () => {
    render(
      <SessionContext.Provider value={{ session: as('practitioner'), signOut: () => undefined }}>
        <Problem error={notFound()} what="Leo's page" />
      </SessionContext.Provider>,
    );
    expect(screen.getByTestId('problem').textContent).toContain('Reference: 95947-669');
  });
});
