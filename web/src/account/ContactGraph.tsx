// Agency contact over time: Chart.js draws one line per agency; spikes, gaps and agencies that
// stopped seeing the child are marked on the chart with distinct shapes and listed in words;
// the table below is the chart's text equivalent.
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
import { Loaded, SelectField, useAsync } from '../components/ui';
import { bucketLabel } from '../format';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
Chart.defaults.font.size = 14;
Chart.defaults.color = '#0b0c0c';

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

function ChartView({ series }: { series: ContactSeries }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const labels = series.buckets.map((b) => bucketLabel(b.label));
    const datasets: ChartDataset<'line', (number | null)[]>[] = series.agencies.map((a, i) => ({
      label: a.name,
      data: a.counts,
      borderColor: COLOURS[i % COLOURS.length],
      backgroundColor: COLOURS[i % COLOURS.length],
      borderDash: DASHES[i % DASHES.length],
      pointStyle: POINTS[i % POINTS.length],
      pointRadius: 3,
      borderWidth: 2,
      tension: 0,
    }));
    for (const kind of Object.keys(FLAG_TEXT)) {
      const flags = series.flags.filter((f) => f.kind === kind);
      if (flags.length === 0) continue;
      const data: (number | null)[] = labels.map(() => null);
      for (const f of flags) {
        const a = series.agencies.find((x) => x.agency_id === f.agency_id);
        data[f.bucket_index] = a ? a.counts[f.bucket_index] ?? 0 : 0;
      }
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
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Contacts recorded' } },
          x: { title: { display: true, text: series.granularity === 'week' ? 'Week starting' : 'Month' } },
        },
        // The legend is HTML below the chart (it wraps on a phone and shows each line's dash).
        plugins: { legend: { display: false } },
      },
    });
    return () => chart.destroy();
  }, [series]);
  return (
    <>
    <div class="kith-chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Line graph of contacts per agency by ${series.granularity}. The same figures are in the table below the graph.`}
        data-testid="contact-chart"
      />
    </div>
    <ChartLegend series={series} />
    </>
  );
}

function ChartLegend({ series }: { series: ContactSeries }) {
  const kinds = Object.keys(FLAG_TEXT).filter((k) => series.flags.some((f) => f.kind === k));
  return (
    <ul class="kith-legend govuk-!-margin-top-3" aria-label="Key to the graph">
      {series.agencies.map((a, i) => (
        <li key={a.agency_id}>
          <svg width="36" height="12" aria-hidden="true" focusable="false" class="kith-legend__line">
            <line x1="0" y1="6" x2="36" y2="6" stroke={COLOURS[i % COLOURS.length]} stroke-width="3" stroke-dasharray={DASHES[i % DASHES.length].join(' ')} />
          </svg>
          {a.name}
        </li>
      ))}
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
  const name = (id: string) => series.agencies.find((a) => a.agency_id === id)?.name ?? id;
  return (
    <ul class="govuk-list" data-testid="contact-flags">
      {series.flags.map((f, i) => (
        <li key={i} class={`kith-finding ${f.kind === 'sudden_rise' || f.kind === 'stopped_seeing' ? 'kith-finding--serious' : 'kith-finding--warning'}`}>
          <span aria-hidden="true">{FLAG_TEXT[f.kind]?.symbol ?? '•'} </span>
          <strong>{FLAG_TEXT[f.kind]?.label ?? f.kind}</strong>: {name(f.agency_id)}, {bucketLabel(series.buckets[f.bucket_index]?.label ?? '')}. {f.explanation}
        </li>
      ))}
    </ul>
  );
}

export function ContactTable({ series }: { series: ContactSeries }) {
  const flagAt = (agency: string, i: number) => series.flags.filter((f) => f.agency_id === agency && f.bucket_index === i);
  return (
    <div class="kith-table-wrap" tabIndex={0} role="region" aria-labelledby="contact-table-caption">
      <table class="govuk-table" data-testid="contact-table">
        <caption class="govuk-table__caption govuk-table__caption--s" id="contact-table-caption">
          Contacts recorded per agency, by {series.granularity}
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">{series.granularity === 'week' ? 'Week' : 'Month'}</th>
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
              <th scope="row" class="govuk-table__header">{bucketLabel(b.label)}</th>
              {series.agencies.map((a) => {
                const flags = flagAt(a.agency_id, i);
                return (
                  <td class="govuk-table__cell govuk-table__cell--numeric" key={a.agency_id}>
                    {a.counts[i] ?? 0}
                    {flags.map((f) => (
                      <span key={f.kind}>
                        {' '}
                        <span aria-hidden="true">{FLAG_TEXT[f.kind]?.symbol}</span>
                        <span class="govuk-visually-hidden">({FLAG_TEXT[f.kind]?.label})</span>
                      </span>
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">Total</th>
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

export function ContactGraph({ childId, versions }: TabProps) {
  const [granularity, setGranularity] = useState('auto');
  const series = useAsync(
    () => api.get<ContactSeries>(`/api/v1/children/${seg(childId)}/contact-series${query({ granularity })}`),
    [childId, granularity, versions.chronology],
  );
  return (
    <>
      <p class="govuk-body">
        How often each agency recorded contact with the child. Rising contact across agencies, long gaps and agencies that stop
        seeing the child are the patterns serious case reviews warn about.
      </p>
      <div class="kith-card">
        <SelectField
          id="granularity"
          label="Show by"
          value={granularity}
          onInput={setGranularity}
          options={[['auto', 'Best fit'], ['week', 'Week'], ['month', 'Month']]}
        />
        <Loaded state={series} what="Agency contact">
          {(s) =>
            s.agencies.length === 0 ? (
              <p class="govuk-body">No contacts have been recorded yet.</p>
            ) : (
              <>
                <ChartView series={s} />
                <h3 class="govuk-heading-m govuk-!-margin-top-5">What stands out</h3>
                <FlagList series={s} />
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
