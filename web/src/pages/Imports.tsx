// Importing source feeds into the national child index, for index stewards (docs/adr/0010):
// choose a CSV file (a school roll, a GP list, a council extract), send it in parts, and watch
// the server import it in the background — rows read, new children, matches, records waiting
// for review, and every bad row with its line and reason.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query, seg } from '../api';
import { href, navigate } from '../router';
import type { ImportJob, ImportRow } from '../types';
import { formatDateTime } from '../format';
import { Button, FormError, Loaded, SelectField, TableWrap, TextField, useAsync } from '../components/ui';

/** One request carries at most the server's body limit (1 MiB); parts stay just under it. */
export const PART_BYTES = 1_000_000;

/** The byte ranges a file of `size` bytes is sent in. */
export function parts(size: number, partBytes = PART_BYTES): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 0; at < size || out.length === 0; at += partBytes) out.push([at, Math.min(size, at + partBytes)]);
  return out;
}

const STATE_LABEL: Record<ImportJob['state'], [string, string]> = {
  receiving: ['Being sent', 'govuk-tag--grey'],
  queued: ['Waiting', 'govuk-tag--grey'],
  running: ['Importing', 'govuk-tag--blue'],
  done: ['Imported', 'govuk-tag--green'],
  failed: ['Failed', 'govuk-tag--red'],
};

function StateTag({ job }: { job: ImportJob }) {
  const [label, cls] = STATE_LABEL[job.state];
  return <strong class={`govuk-tag ${cls}`}>{label}</strong>;
}

const STAGE_LABEL: Record<string, string> = {
  wait: 'Waiting for an import on another server to finish',
  read: 'Reading the file and the index',
  link: 'Linking records with the children already known',
  write: 'Writing',
};

/** Sends `file` in parts; calls `progress` with the bytes sent. Returns the import. */
async function send(file: Blob, name: string, source: string, progress: (sent: number) => void): Promise<ImportJob> {
  const ranges = parts(file.size);
  const [first, firstEnd] = ranges[0];
  let job: ImportJob = await api.post(
    '/api/v1/index/imports',
    file.slice(first, firstEnd),
    { contentType: 'text/csv', query: { source, filename: name, last: String(ranges.length === 1) } },
  );
  progress(firstEnd);
  for (let i = 1; i < ranges.length; ++i) {
    const [at, end] = ranges[i];
    job = await api.post(
      '/api/v1/index/imports/{import_id}/parts',
      { import_id: job.id },
      file.slice(at, end),
      { contentType: 'text/csv', query: { offset: at, last: String(i === ranges.length - 1) } },
    );
    progress(end);
  }
  return job;
}

function NewImport() {
  const [file, setFile] = useState<File>();
  const [source, setSource] = useState('');
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState<number>();
  return (
    <form
      noValidate
      data-testid="import-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        if (!file) {
          setError(new ApiError({ status: 400, title: 'Choose a file', detail: 'Choose the CSV file to import.', code: 'invalid_input', field: 'file' }));
          return;
        }
        setSent(0);
        try {
          const job = await send(file, file.name, source.trim(), setSent);
          navigate('imports', job.id);
        } catch (err) {
          setError(err as ApiError);
          setSent(undefined);
        }
      }}
    >
      <FormError error={error} idPrefix="imp" />
      <div class={`govuk-form-group${error?.field === 'file' ? ' govuk-form-group--error' : ''}`}>
        <label class="govuk-label govuk-label--s" for="imp-file">
          CSV file
        </label>
        <div id="imp-file-hint" class="govuk-hint">
          UTF-8 CSV with a header line. Columns: record_id (required), source, given_name, family_name, date_of_birth
          (YYYY-MM-DD), sex, postcode, address, nhs_number, upn; other columns are kept with the record. Up to 64 MB.
        </div>
        <input
          class="govuk-file-upload"
          id="imp-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="imp-file-hint"
          data-testid="import-file"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
        />
      </div>
      <TextField
        id="imp-source"
        label="Source"
        hint="Where the rows come from, for rows with no source column — for example: Hillside Primary School."
        value={source}
        onInput={setSource}
        maxLength={200}
      />
      {sent !== undefined && file && (
        <p class="govuk-body" role="status">
          Sending the file: {Math.round((100 * sent) / Math.max(file.size, 1))}%
        </p>
      )}
      <Button busy={sent !== undefined} testid="start-import">
        Import the file
      </Button>
    </form>
  );
}

export function ImportsPage() {
  useEffect(() => {
    document.title = 'Import a source feed – Kith';
  }, []);
  const list = useAsync(() => api.get<{ imports: ImportJob[] }>('/api/v1/index/imports'), []);
  return (
    <>
      <h1 class="govuk-heading-l">Import a source feed</h1>
      <p class="govuk-body">
        Records are linked with the children already in the index: a certain match joins that child, an uncertain one waits
        for review, the rest become new children. Importing the same file again changes nothing. Every import is recorded
        in the audit trail.
      </p>
      <section class="kith-card" aria-labelledby="imp-h">
        <h2 class="govuk-heading-m" id="imp-h">
          New import
        </h2>
        <NewImport />
      </section>
      <Loaded state={list} what="Recent imports">
        {(d) =>
          d.imports.length === 0 ? (
            <p class="govuk-body">No imports since the server started.</p>
          ) : (
            <TableWrap label="Recent imports">
              <table class="govuk-table kith-table--stack" data-testid="imports-table">
                <caption class="govuk-table__caption govuk-table__caption--m">Recent imports, newest first</caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">File</th>
                    <th scope="col" class="govuk-table__header">State</th>
                    <th scope="col" class="govuk-table__header">Rows</th>
                    <th scope="col" class="govuk-table__header">Bad rows</th>
                    <th scope="col" class="govuk-table__header">Started</th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {d.imports.map((j) => (
                    <tr class="govuk-table__row" key={j.id}>
                      <td class="govuk-table__cell">
                        <a class="govuk-link" href={href('imports', j.id)}>
                          {j.filename ?? j.id}
                        </a>
                        {j.source && <span class="kith-meta"> ({j.source})</span>}
                      </td>
                      <td class="govuk-table__cell">
                        <StateTag job={j} />
                      </td>
                      <td class="govuk-table__cell">{j.rows_read.toLocaleString('en-GB')}</td>
                      <td class="govuk-table__cell">{j.bad_rows_total.toLocaleString('en-GB')}</td>
                      <td class="govuk-table__cell">{formatDateTime(j.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </Loaded>
    </>
  );
}

const finished = (j: ImportJob) => j.state === 'done' || j.state === 'failed';

/** The import, refreshed while it runs: the server answers within a second, or at once when it finishes. */
function useImport(id: string) {
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let stopped = false;
    const controller = new AbortController();
    (async () => {
      let wait = 0;
      while (!stopped) {
        try {
          const j = await api.get<ImportJob>(`/api/v1/index/imports/${seg(id)}${query({ wait_seconds: wait || undefined })}`, {
            signal: controller.signal,
          });
          if (stopped) return;
          setJob(j);
          setError(undefined);
          if (finished(j) || j.state === 'receiving') return;
          wait = 1;
        } catch (e) {
          if (!stopped && (e as Error).name !== 'AbortError') setError(e as ApiError);
          return;
        }
      }
    })();
    return () => {
      stopped = true;
      controller.abort();
    };
  }, [id]);
  return { job, error };
}

const count = (n: number) => n.toLocaleString('en-GB');

const OUTCOME_LABEL: Record<ImportRow['outcome'], string> = {
  created: 'New child',
  matched: 'Joined a child already known',
  queued: 'Waiting for review',
  updated: 'Changed since an earlier import',
  unchanged: 'Unchanged since an earlier import',
};

const ROWS_PAGE = 200;

/**
 * What became of each row (GET /api/v1/index/imports/{id}/rows), in pages, optionally only one
 * outcome (e.g. the automatic matches, to check them): the child a row made or joined opens the
 * child's page, a queued row its review.
 */
export function ImportRows({ id }: { id: string }) {
  const [outcome, setOutcome] = useState('');
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [next, setNext] = useState<number | null>(0);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const load = async (after: number, kept: ImportRow[], only: string) => {
    setBusy(true);
    try {
      const page = await api.get<{ rows: ImportRow[]; next_after: number | null }>(
        `/api/v1/index/imports/${seg(id)}/rows${query({ after: after || undefined, limit: ROWS_PAGE, outcome: only || undefined })}`,
      );
      setRows([...kept, ...page.rows]);
      setNext(page.next_after);
      setError(undefined);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(0, [], outcome);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, outcome]);
  return (
    <section data-testid="import-rows">
      <h2 class="govuk-heading-m">What became of each row</h2>
      <SelectField
        id="rows-outcome"
        label="Show"
        value={outcome}
        onInput={setOutcome}
        emptyLabel="Every row"
        options={Object.entries(OUTCOME_LABEL) as [string, string][]}
      />
      {error && <FormError error={error} idPrefix="rows" />}
      {rows.length === 0 && !busy && !error && <p class="govuk-body">No rows to show.</p>}
      {rows.length > 0 && (
        <TableWrap label="What became of each row">
          <table class="govuk-table kith-table--stack" data-testid="import-rows-table">
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Line</th>
                <th scope="col" class="govuk-table__header">Record</th>
                <th scope="col" class="govuk-table__header">What became of it</th>
                <th scope="col" class="govuk-table__header">Child</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {rows.map((r) => (
                <tr class="govuk-table__row" key={r.line}>
                  <td class="govuk-table__cell govuk-table__cell--numeric" data-label="Line">{r.line}</td>
                  <td class="govuk-table__cell" data-label="Record">
                    {r.record_id} <span class="govuk-hint govuk-!-display-inline">({r.source})</span>
                  </td>
                  <td class="govuk-table__cell" data-label="What became of it">
                    {OUTCOME_LABEL[r.outcome]}
                    {r.review_id && (
                      <>
                        {' '}
                        <a class="govuk-link" href={href('reviews', r.review_id)}>
                          Review it
                        </a>
                      </>
                    )}
                  </td>
                  <td class="govuk-table__cell" data-label="Child">
                    {r.child_id ? (
                      <a class="govuk-link" href={href('children', r.child_id)}>
                        {r.child_id}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {next !== null && rows.length > 0 && (
        <Button secondary type="button" busy={busy} onClick={() => void load(next, rows, outcome)} testid="import-rows-more">
          Show more rows
        </Button>
      )}
    </section>
  );
}

export function ImportPage({ id }: { id: string }) {
  useEffect(() => {
    document.title = 'Import – Kith';
  }, []);
  const { job, error } = useImport(id);
  return (
    <>
      <a class="govuk-back-link" href={href('imports')}>
        All imports
      </a>
      <h1 class="govuk-heading-l">{job?.filename ?? 'Import'}</h1>
      <Loaded state={{ data: job, error, loading: !job && !error, reload: () => {}, set: () => {} }} what="The import">
        {(j) => (
          <>
            <p class="govuk-body">
              <StateTag job={j} /> {j.source && <>Source: {j.source}. </>}Started {formatDateTime(j.created_at)}
              {j.finished_at && <>, finished {formatDateTime(j.finished_at)}</>}.
            </p>
            {!finished(j) && (
              <div class="govuk-form-group" data-testid="import-progress">
                <label class="govuk-label" for="imp-progress">
                  {j.state === 'queued' ? 'Waiting for the import before it to finish' : STAGE_LABEL[j.stage ?? ''] ?? 'Starting'}
                  {j.stage === 'write' && j.to_import > 0 && <> — {count(j.imported)} of {count(j.to_import)} rows</>}
                </label>
                <progress id="imp-progress" class="kith-progress" max={1} value={j.progress} aria-valuetext={`${Math.round(j.progress * 100)}%`} />
              </div>
            )}
            {j.state === 'failed' && (
              <div class="govuk-error-summary" role="alert" data-testid="import-failed">
                <h2 class="govuk-error-summary__title">The import did not finish</h2>
                <div class="govuk-error-summary__body">
                  <p class="govuk-body">{j.error}</p>
                </div>
              </div>
            )}
            <dl class="govuk-summary-list" data-testid="import-counts">
              {(
                [
                  ['Rows read', j.rows_read],
                  ['New children', j.created],
                  ['Matched to a child already known', j.matched],
                  ['Waiting for review', j.queued_for_review],
                  ['Unchanged since an earlier import', j.unchanged],
                  ['Changed since an earlier import', j.updated],
                  ['Bad rows', j.bad_rows_total],
                ] as [string, number][]
              ).map(([label, n]) => (
                <div class="govuk-summary-list__row" key={label}>
                  <dt class="govuk-summary-list__key">{label}</dt>
                  <dd class="govuk-summary-list__value">
                    {count(n)}
                    {label === 'Waiting for review' && n > 0 && (
                      <>
                        {' '}
                        <a class="govuk-link" href={href('reviews')}>
                          Review them
                        </a>
                      </>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
            {(j.bad_rows ?? []).length > 0 && (
              <TableWrap label="Bad rows">
                <table class="govuk-table" data-testid="bad-rows">
                  <caption class="govuk-table__caption govuk-table__caption--m">
                    Bad rows: not imported{j.bad_rows_total > (j.bad_rows ?? []).length && ` (the first ${count((j.bad_rows ?? []).length)} of ${count(j.bad_rows_total)})`}
                  </caption>
                  <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Line</th>
                      <th scope="col" class="govuk-table__header">What is wrong</th>
                    </tr>
                  </thead>
                  <tbody class="govuk-table__body">
                    {(j.bad_rows ?? []).map((b) => (
                      <tr class="govuk-table__row" key={b.line}>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{b.line}</td>
                        <td class="govuk-table__cell">{b.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {(j.bad_rows ?? []).length > 0 && finished(j) && (
              <p class="govuk-body">Correct the bad rows in the file and import it again: rows already imported stay as they are.</p>
            )}
            {finished(j) && <ImportRows id={j.id} />}
          </>
        )}
      </Loaded>
    </>
  );
}
