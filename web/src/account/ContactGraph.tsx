// Agency contact over time: Chart.js draws all agencies together as one thick line, and each
// agency the reader chooses as its own; the period under way is a hollow point ("so far"), never a
// fall of the line; rises, gaps and agencies that stopped seeing the child are marked on the
// chart with distinct shapes, listed in words with the rule that found them; the table below is
// the chart's text equivalent.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type PointStyle,
} from 'chart.js';
import { api, query, seg } from '../api';
import type { TabProps } from '../pages/Child';
import type { ContactSeries } from '../types';
import { Checkbox, Loaded, SelectField, useAsync } from '../components/ui';
import { bucketLabel } from '../format';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
Chart.defaults.font.size = 14;
Chart.defaults.color = '#0b0c0c';

const TOTAL_COLOUR = '#0b0c0c';
// Colour-blind-safe colours, each line also with its own dash pattern and point shape, so
// no line is told apart by colour alone.
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#6f4e00', '#56b4e9', '#5b2a86', '#3b3b3b', '#e69f00', '#005a5a'];
const DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 2], [10, 6], [6, 2, 2, 2], [3, 6], [14, 4]];
const POINTS: PointStyle[] = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded', 'line', 'dash'];

export const FLAG_TEXT: Record<string, { label: string; marker: PointStyle; symbol: string }> = {
  sudden_rise: { label: 'Sudden rise in contact', marker: 'triangle', symbol: '▲' },
  long_gap: { label: 'Long gap in contact', marker: 'rectRot', symbol: '◆' },
  stopped_seeing: { label: 'Stopped seeing the child', marker: 'crossRot', symbol: '✕' },
};

/** The agencies a flag is about: one agency, or all of them together. */
const flagWho = (series: ContactSeries, id: string | null) =>
  id ? series.agencies.find((a) => a.agency_id === id)?.name ?? id : 'All agencies together';

/** A bucket's label, with "(so far)" for the one under way. */
const periodLabel = (series: ContactSeries, i: number) =>
  `${bucketLabel(series.buckets[i]?.label ?? '')}${series.buckets[i]?.partial ? ' (so far)' : ''}`;

/** Where a flag sits on the chart: on its agency's line when shown, else on the total. */
function flagValue(series: ContactSeries, f: ContactSeries['flags'][number], shown: string[]): number {
  if (f.agency_id && shown.includes(f.agency_id)) {
    return series.agencies.find((a) => a.agency_id === f.agency_id)?.counts[f.bucket_index] ?? 0;
  }
  return series.totals[f.bucket_index] ?? 0;
}

function ChartView({ series, shown }: { series: ContactSeries; shown: string[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const labels = series.buckets.map((b) => bucketLabel(b.label));
    const under = series.buckets.findIndex((b) => b.partial);
    // The period under way is never part of a line: its count is so far, not a fall.
    const complete = (counts: number[]) => counts.map((c, i) => (i === under ? null : c));
    const soFar = (counts: number[]) => counts.map((c, i) => (i === under ? c : null));
    const datasets: ChartDataset<'line', (number | null)[]>[] = [
      {
        label: 'All agencies together',
        data: complete(series.totals),
        borderColor: TOTAL_COLOUR,
        backgroundColor: TOTAL_COLOUR,
        pointStyle: 'circle',
        pointRadius: 3,
        borderWidth: 4,
        tension: 0,
      },
    ];
    const lines = series.agencies.filter((a) => shown.includes(a.agency_id));
    lines.forEach((a) => {
      const i = series.agencies.indexOf(a);
      datasets.push({
        label: a.name,
        data: complete(a.counts),
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        borderDash: DASHES[i % DASHES.length],
        pointStyle: POINTS[i % POINTS.length],
        pointRadius: 3,
        borderWidth: 2,
        tension: 0,
      });
    });
    if (under >= 0) {
      datasets.push({
        label: `So far this ${series.granularity}`,
        data: soFar(series.totals),
        showLine: false,
        pointStyle: 'circle',
        pointRadius: 7,
        borderColor: TOTAL_COLOUR,
        backgroundColor: '#ffffff',
        borderWidth: 2,
      });
    }
    for (const kind of Object.keys(FLAG_TEXT)) {
      const flags = series.flags.filter((f) => f.kind === kind && (!f.agency_id || shown.includes(f.agency_id)));
      if (flags.length === 0) continue;
      const data: (number | null)[] = labels.map(() => null);
      for (const f of flags) data[f.bucket_index] = flagValue(series, f, shown);
      datasets.push({
        label: FLAG_TEXT[kind].label,
        data,
        showLine: false,
        pointStyle: FLAG_TEXT[kind].marker,
        pointRadius: 11,
        pointHoverRadius: 13,
        borderColor: '#0b0c0c',
        backgroundColor: kind === 'sudden_rise' ? '#b3261e' : '#ffdd00',
        borderWidth: 2,
      });
    }
    const narrow = window.matchMedia('(max-width: 640px)').matches;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: !narrow, text: 'Contacts recorded' } },
          x: {
            title: { display: !narrow, text: series.granularity === 'week' ? 'Week starting' : 'Month' },
            ticks: { autoSkip: true, maxTicksLimit: narrow ? 4 : 12, maxRotation: 0 },
          },
        },
        // The legend is HTML below the chart (it wraps on a phone and shows each line's dash).
        plugins: { legend: { display: false } },
      },
    });
    return () => chart.destroy();
  }, [series, shown]);
  return (
    <>
      <div class="kith-chart">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`Line graph of contacts recorded by all agencies together${shown.length ? ' and by the agencies chosen' : ''}, by ${series.granularity}. The same figures are in the table below the graph.`}
          data-testid="contact-chart"
        />
      </div>
      <ChartLegend series={series} shown={shown} />
    </>
  );
}

function ChartLegend({ series, shown }: { series: ContactSeries; shown: string[] }) {
  const kinds = Object.keys(FLAG_TEXT).filter((k) => series.flags.some((f) => f.kind === k && (!f.agency_id || shown.includes(f.agency_id))));
  const under = series.buckets.some((b) => b.partial);
  return (
    <ul class="kith-legend govuk-!-margin-top-3" aria-label="Key to the graph" data-testid="contact-legend">
      <li>
        <svg width="36" height="12" aria-hidden="true" focusable="false" class="kith-legend__line">
          <line x1="0" y1="6" x2="36" y2="6" stroke={TOTAL_COLOUR} stroke-width="4" />
        </svg>
        All agencies together
      </li>
      {series.agencies.filter((a) => shown.includes(a.agency_id)).map((a) => {
        const i = series.agencies.indexOf(a);
        return (
          <li key={a.agency_id}>
            <svg width="36" height="12" aria-hidden="true" focusable="false" class="kith-legend__line">
              <line x1="0" y1="6" x2="36" y2="6" stroke={COLOURS[i % COLOURS.length]} stroke-width="3" stroke-dasharray={DASHES[i % DASHES.length].join(' ')} />
            </svg>
            {a.name}
          </li>
        );
      })}
      {under && (
        <li>
          <span aria-hidden="true" class="kith-legend__symbol">○</span> So far this {series.granularity} (not over yet)
        </li>
      )}
      {kinds.map((k) => (
        <li key={k}>
          <span aria-hidden="true" class="kith-legend__symbol">{FLAG_TEXT[k].symbol}</span> {FLAG_TEXT[k].label}
        </li>
      ))}
    </ul>
  );
}

export function FlagList({ series }: { series: ContactSeries }) {
  if (series.flags.length === 0) return <p class="govuk-body">No sudden rises, gaps or drop-offs were found.</p>;
  return (
    <ul class="govuk-list" data-testid="contact-flags">
      {series.flags.map((f, i) => (
        <li key={i} class={`kith-finding ${f.kind === 'sudden_rise' || f.kind === 'stopped_seeing' ? 'kith-finding--serious' : 'kith-finding--warning'}`}>
          <span aria-hidden="true">{FLAG_TEXT[f.kind]?.symbol ?? '•'} </span>
          <strong>{FLAG_TEXT[f.kind]?.label ?? f.kind}</strong>: {flagWho(series, f.agency_id)}, {periodLabel(series, f.bucket_index)}. {f.explanation}
        </li>
      ))}
    </ul>
  );
}

export function ContactTable({ series }: { series: ContactSeries }) {
  const flagAt = (agency: string | null, i: number) => series.flags.filter((f) => f.agency_id === agency && f.bucket_index === i);
  const marks = (agency: string | null, i: number) =>
    flagAt(agency, i).map((f) => (
      <span key={f.kind}>
        {' '}
        <span aria-hidden="true">{FLAG_TEXT[f.kind]?.symbol}</span>
        <span class="govuk-visually-hidden">({FLAG_TEXT[f.kind]?.label})</span>
      </span>
    ));
  return (
    <div class="kith-table-wrap" tabIndex={0} role="region" aria-labelledby="contact-table-caption">
      <table class="govuk-table" data-testid="contact-table">
        <caption class="govuk-table__caption govuk-table__caption--s" id="contact-table-caption">
          Contacts recorded per agency, by {series.granularity}
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">{series.granularity === 'week' ? 'Week' : 'Month'}</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">All agencies</th>
            {series.agencies.map((a) => (
              <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={a.agency_id}>
                {a.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {series.buckets.map((b, i) => (
            <tr class="govuk-table__row" key={b.start}>
              <th scope="row" class="govuk-table__header">{periodLabel(series, i)}</th>
              <td class="govuk-table__cell govuk-table__cell--numeric">
                <strong>{series.totals[i] ?? 0}</strong>
                {marks(null, i)}
              </td>
              {series.agencies.map((a) => (
                <td class="govuk-table__cell govuk-table__cell--numeric" key={a.agency_id}>
                  {a.counts[i] ?? 0}
                  {marks(a.agency_id, i)}
                </td>
              ))}
            </tr>
          ))}
          <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">Total</th>
            <td class="govuk-table__cell govuk-table__cell--numeric">
              <strong>{series.totals.reduce((n, c) => n + c, 0)}</strong>
            </td>
            {series.agencies.map((a) => (
              <td class="govuk-table__cell govuk-table__cell--numeric" key={a.agency_id}>
                <strong>{a.total}</strong>
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** GOV.UK checkboxes: which agencies' own lines to add to the total. */
function AgencyChoice({ series, shown, onChange }: { series: ContactSeries; shown: string[]; onChange: (ids: string[]) => void }) {
  return (
    <div class="govuk-form-group">
      <fieldset class="govuk-fieldset" aria-describedby="agency-lines-hint">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Show an agency's own line</legend>
        <div id="agency-lines-hint" class="govuk-hint">The thick line is all agencies together. Choose agencies to compare.</div>
        <div class="govuk-checkboxes govuk-checkboxes--small kith-agency-lines" data-testid="agency-lines">
          {series.agencies.map((a) => (
            <Checkbox
              key={a.agency_id}
              id={`line-${a.agency_id}`}
              label={`${a.name} (${a.total})`}
              checked={shown.includes(a.agency_id)}
              onChange={(on) => onChange(on ? [...shown, a.agency_id] : shown.filter((x) => x !== a.agency_id))}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function ContactGraph({ childId, versions }: TabProps) {
  const [granularity, setGranularity] = useState('auto');
  const [shown, setShown] = useState<string[]>([]);
  const series = useAsync(
    () => api.get<ContactSeries>(`/api/v1/children/${seg(childId)}/contact-series${query({ granularity })}`),
    [childId, granularity, versions.chronology],
  );
  return (
    <>
      <p class="govuk-body">
        How often agencies recorded contact with the child. Rising contact across agencies, long gaps and agencies that stop
        seeing the child are the patterns serious case reviews warn about.
      </p>
      <div class="kith-card">
        <SelectField
          id="granularity"
          label="Count contacts by"
          value={granularity}
          onInput={setGranularity}
          options={[['auto', 'Week or month (Kith chooses)'], ['week', 'Week'], ['month', 'Month']]}
        />
        <Loaded state={series} what="Agency contact">
          {(s) =>
            s.agencies.length === 0 ? (
              <p class="govuk-body">No contacts have been recorded yet.</p>
            ) : (
              <>
                <AgencyChoice series={s} shown={shown} onChange={setShown} />
                <ChartView series={s} shown={shown} />
                <h3 class="govuk-heading-m govuk-!-margin-top-5">What stands out</h3>
                <FlagList series={s} />
                <details class="govuk-details" data-testid="flag-rules">
                  <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">How Kith decides what stands out</span>
                  </summary>
                  <div class="govuk-details__text">
                    <p class="govuk-body">
                      <strong>Sudden rise</strong>: all agencies together recorded more contacts in a {s.granularity} than would happen by
                      chance more than once in 100 times, given the average of the previous six {s.granularity}s (at least three;
                      an average below one every two {s.granularity}s counts as one every two). The {s.granularity} under way counts
                      only if it is already that high.
                    </p>
                    <p class="govuk-body">
                      <strong>Long gap</strong>: an agency recorded nothing for four weeks or two months or more, then contact resumed.
                    </p>
                    <p class="govuk-body">
                      <strong>Stopped seeing the child</strong>: an agency that saw the child in at least three of eight weeks has
                      recorded nothing for six weeks. The lead professional is alerted to sudden rises and to agencies that stop.
                    </p>
                  </div>
                </details>
                <details class="govuk-details">
                  <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">The figures as a table</span>
                  </summary>
                  <div class="govuk-details__text">
                    <ContactTable series={s} />
                  </div>
                </details>
              </>
            )
          }
        </Loaded>
      </div>
    </>
  );
}
