import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { ImportRows } from './Imports';
import { mockFetch } from '../test/fetch';

const SLOW = { timeout: 5000 };
const ROW = (line: number, outcome: string, child_id: string | null, review_id: string | null = null) =>
  ({ line, source: 'Hillside Primary', record_id: `S${line}`, outcome, child_id, review_id });

describe('ImportRows', () => {
  afterEach(cleanup);

  it('shows what became of each row in pages, links the child or the review, and asks for one outcome', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/index/imports/I1/rows': (call) => {
        const q = new URL(call.url, 'http://x').searchParams;
        if (q.get('outcome') === 'matched') return { body: { rows: [ROW(3, 'matched', 'K2')], next_after: null } };
        if (q.get('after') === '3') return { body: { rows: [ROW(5, 'unchanged', 'K3')], next_after: null } };
        return { body: { rows: [ROW(2, 'created', 'K1'), ROW(3, 'queued', null, 'R9')], next_after: 3 } };
      },
    });
    render(<ImportRows id="I1" />);
    const table = await screen.findByTestId('import-rows-table', {}, SLOW);
    const rows = () => within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows()).toEqual([
      expect.stringMatching(/^2S2.*New child.*K1$/),
      expect.stringMatching(/^3S3.*Waiting for review Review it—$/),
    ]);
    expect(within(table).getByRole('link', { name: 'K1' }).getAttribute('href')).toBe('#/children/K1');
    expect(within(table).getByRole('link', { name: 'Review it' }).getAttribute('href')).toBe('#/reviews/R9');
    expect(calls[0].url).toContain('limit=200');

    fireEvent.click(screen.getByTestId('import-rows-more'));
    await waitFor(() => expect(within(screen.getByTestId('import-rows-table')).getAllByRole('row')).toHaveLength(4), SLOW);
    expect(calls[1].url).toContain('after=3');
    expect(screen.queryByTestId('import-rows-more')).toBeNull();

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'matched' } });
    await waitFor(() => expect(within(screen.getByTestId('import-rows-table')).getAllByRole('row')).toHaveLength(2), SLOW);
    expect(calls[2].url).toContain('outcome=matched');
    expect(calls[2].url).not.toContain('after=');
    expect(screen.getByTestId('import-rows-table').textContent).toMatch(/Joined a child already known.*K2/);
  });
});
