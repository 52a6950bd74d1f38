import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { Search } from './Search';
import { SignpostAndJoin } from './Signposting';
import { Home } from './Home';
import { Chronology } from '../account/Chronology';
import { SessionContext } from '../session';
import { live } from '../live';
import { mockFetch } from '../test/fetch';
import type { ChildAccount, FeedItem, Session } from '../types';

const session = { user: { id: 'U1', display_name: 'Hannah Ellis', role: 'practitioner', authority_id: 'L1' }, state: 'complete', csrf_token: 't' } as unknown as Session;

function withSession(node: preact.ComponentChildren) {
  return <SessionContext.Provider value={{ session, signOut: () => undefined }}>{node}</SessionContext.Provider>;
}

describe('Search', () => {
  afterEach(cleanup);
  it('sends the terms and reason in the body, never the URL, and lists matches', async () => {
    location.hash = '#/search';
    const { calls } = mockFetch({
      'POST /api/v1/search': {
        body: {
          results: [{ child_id: 'K9', given_names: 'Leo', family_name: 'Carter', date_of_birth: '2025-01-21', postcode_district: 'NB3', score: 0.93, shielded: false, on_my_team: false }],
          truncated: false,
        },
      },
    });
    render(withSession(<Search />));
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: 'Leo' } });
    fireEvent.input(screen.getByLabelText('Last name'), { target: { value: 'Carter' } });
    fireEvent.input(screen.getByLabelText('Why are you looking for this child?'), { target: { value: 'New pupil with a safeguarding concern' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('1 possible match')).toBeTruthy();
    expect(calls[0].url).toBe('/api/v1/search');
    expect(calls[0].body).toEqual({ given_name: 'Leo', family_name: 'Carter', reason: 'New pupil with a safeguarding concern' });
    expect(location.href).not.toMatch(/Leo|Carter|concern/);
    expect(screen.getByText(/Match 93%/)).toBeTruthy();
  });

  it('shows a clear "not available yet" state while the server has no search', async () => {
    mockFetch({});
    render(withSession(<Search />));
    fireEvent.input(screen.getByLabelText('Last name'), { target: { value: 'Carter' } });
    fireEvent.input(screen.getByLabelText('Why are you looking for this child?'), { target: { value: 'New pupil with a safeguarding concern' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByTestId('not-available')).toBeTruthy();
  });
});

describe('Chronology', () => {
  afterEach(cleanup);
  const account = { child: { id: 'K1' }, team: [], agencies: [], access: 'team member' } as unknown as ChildAccount;
  const versions = { family: 0, chronology: 0, forum: 0, wheel: 0, team: 0, early_help: 0 };

  it('says the chronology is not available yet when the endpoint is missing', async () => {
    mockFetch({});
    render(withSession(<Chronology childId="K1" account={account} versions={versions} reloadAccount={() => undefined} />));
    expect((await screen.findByTestId('not-available')).textContent).toContain('The chronology is not available yet');
  });

  it('adds an entry and shows it', async () => {
    const entry = {
      id: 'E1', child_id: 'K1', occurred_on: '2026-11-20', occurred_time: null, agency_id: 'A', agency_name: 'Hillside Primary School',
      agency_kind: 'school', author_id: 'U1', author_name: 'Hannah Ellis', type: 'contact', significance: 'notable',
      summary: 'Bruise on arm', detail: '', recorded_at: '2026-11-20T10:00:00Z', version: 1, lineage_id: 'E1', supersedes_id: null,
      correction_reason: null, source: { kind: 'practitioner', thread_id: null },
    };
    let entries: unknown[] = [];
    const { calls } = mockFetch({
      'GET /api/v1/children/K1/chronology': () => ({ body: { entries } }),
      'POST /api/v1/children/K1/chronology': () => {
        entries = [entry];
        return { status: 201, body: entry };
      },
    });
    render(withSession(<Chronology childId="K1" account={account} versions={versions} reloadAccount={() => undefined} />));
    expect(await screen.findByText('Nothing has been recorded yet.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('add-entry'));
    fireEvent.input(screen.getByLabelText('Summary'), { target: { value: 'Bruise on arm' } });
    fireEvent.click(screen.getByLabelText('Notable'));
    fireEvent.click(screen.getByRole('button', { name: 'Add to chronology' }));
    expect(await screen.findByText('Bruise on arm')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({ type: 'contact', significance: 'notable', summary: 'Bruise on arm' });
  });
});

describe('Home', () => {
  afterEach(cleanup);
  it('lists my children and adds live feed items without a reload', async () => {
    mockFetch({
      'GET /api/v1/me/children': { body: { children: [{ child_id: 'K1', given_names: 'Leo', family_name: 'Carter', date_of_birth: '2025-01-21', my_role: 'Class teacher', i_am_lead: false, flags: { early_help_assessment: true, child_protection_plan: false, looked_after: false } }] } },
      'GET /api/v1/feed': { body: { items: [] } },
      'GET /api/v1/alerts': { body: { alerts: [] } },
    });
    render(withSession(<Home />));
    expect(await screen.findByText('Leo Carter')).toBeTruthy();
    expect(await screen.findByText("Nothing new on your children's accounts yet.")).toBeTruthy();
    const item: FeedItem = { id: 'F1', at: '2026-11-20T10:00:00Z', child_id: 'K1', child_name: 'Leo Carter', kind: 'chronology_entry', summary: 'Missed health visit', actor_name: 'Laura Bennett', significance: 'notable' };
    live.dispatch({ type: 'feed', item });
    await waitFor(() => expect(screen.getByTestId('feed').textContent).toContain('Missed health visit'));
  });

  it('names the child of an alert once, links to the right tab, and shows an alert about no child without a link', async () => {
    mockFetch({
      'GET /api/v1/me/children': { body: { children: [] } },
      'GET /api/v1/feed': { body: { items: [] } },
      'GET /api/v1/alerts': {
        body: {
          alerts: [
            { id: 'A1', at: '2026-11-20T10:00:00Z', child_id: 'K1', child_name: 'Leo Carter', kind: 'join_request', summary: 'Ann Lee (Class teacher, Hillside Primary) asks to join the team: New pupil', read: false },
            { id: 'A2', at: '2026-11-20T10:00:00Z', child_id: '', child_name: '', kind: 'account_change', summary: 'Your password was changed by the administrator', read: false },
          ],
        },
      },
    });
    render(withSession(<Home />));
    const alerts = await screen.findByTestId('alerts');
    const link = screen.getByRole('link', { name: 'Leo Carter' });
    expect(link.getAttribute('href')).toBe('#/children/K1/team');
    expect(alerts.textContent).toContain('Leo Carter: Ann Lee');
    const items = alerts.querySelectorAll('li');
    expect(items[1].querySelector('a')).toBeNull();
    expect(items[1].textContent?.startsWith('Your password was changed')).toBe(true);
  });
});

describe('Signposting', () => {
  afterEach(cleanup);
  it('asks for the reason in plain words when none is given', async () => {
    const { calls } = mockFetch({});
    render(withSession(<SignpostAndJoin childId="K9" />));
    fireEvent.click(screen.getByRole('button', { name: 'Show who is involved' }));
    // In the error summary and at the field.
    expect((await screen.findAllByText('Enter why you need to see who is involved')).length).toBe(2);
    expect(calls).toEqual([]);
  });
});
