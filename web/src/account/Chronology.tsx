// The multi-agency chronology: filters, the timeline, adding an entry, corrections with a
// reason (history kept), and the printable view.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query, seg, type Body } from '../api';
import type { TabProps } from '../pages/Child';
import type { Entry, FamilyVisibility, ImportReport } from '../types';
import { ENTRY_TYPES, entryTypeLabel, formatDate, formatDateTime, fullName, SIGNIFICANCE, todayIso } from '../format';
import { KeepFromFamily, ShareWithFamily, TEAM_ONLY, UNCHANGED, VisibilityControl, VisibilityTag, WhoWillSee, visibilityBody, type VisibilityChoice } from './Visibility';
import { Button, check, DateField, dateProblem, FormError, FormErrors, Loaded, SelectField, SignificanceTag, Success, TextArea, TextField, useAsync, useProblems } from '../components/ui';
import { href } from '../router';

/** A new chronology entry as the contract takes it. */
export type NewEntry = Body<'/api/v1/children/{child_id}/chronology', 'post'>;

export interface EntryFields {
  occurred_on: string;
  occurred_time: string;
  type: string;
  significance: string;
  summary: string;
  detail: string;
}

function SignificanceRadios({ id, value, onInput }: { id: string; value: string; onInput: (v: string) => void }) {
  return (
    <div class="govuk-form-group">
      <fieldset class="govuk-fieldset" aria-describedby={`${id}-hint`}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Significance</legend>
        <div id={`${id}-hint`} class="govuk-hint">
          Serious: a safeguarding concern in itself. Notable: part of a pattern worth watching.
        </div>
        <div class="govuk-radios govuk-radios--small govuk-radios--inline">
          {SIGNIFICANCE.map(([v, l]) => (
            <div class="govuk-radios__item" key={v}>
              <input class="govuk-radios__input" id={`${id}-${v}`} name={id} type="radio" value={v} checked={value === v} onChange={() => onInput(v)} />
              <label class="govuk-label govuk-radios__label" for={`${id}-${v}`}>
                {l}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function EntryForm({ id, initial, submitLabel, withReason, childName, currentVisibility, onSubmit, onCancel }: {
  id: string;
  initial: EntryFields;
  submitLabel: string;
  withReason?: boolean;
  /** The child's name: the form says who will see the entry before it is saved. */
  childName: string;
  /** For a correction: the entry's visibility now. */
  currentVisibility?: FamilyVisibility;
  onSubmit: (f: EntryFields, reason: string, visibility: VisibilityChoice) => Promise<void>;
  onCancel?: () => void;
}) {
  const startVisibility = currentVisibility ? UNCHANGED : TEAM_ONLY;
  const [f, setF] = useState<EntryFields>(initial);
  const [reason, setReason] = useState('');
  const [visibility, setVisibility] = useState<VisibilityChoice>(startVisibility);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof EntryFields) => (v: string) => setF({ ...f, [k]: v });
  return (
    <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
    <form
      noValidate
      data-testid={`${id}-form`}
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = problems.passes(check([
          ['occurred_on', dateProblem(f.occurred_on, 'the date of the event', { required: true, notFuture: true })],
          ['occurred_time', f.occurred_time && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(f.occurred_time) && 'Enter the time like 14:30, or leave it empty'],
          ['summary', (!f.summary.trim() && 'Enter a summary of what happened') || (f.summary.length > 200 && 'The summary must be 200 characters or fewer')],
          ['restriction_reason', visibility.choice === 'restrict' && !visibility.reason && 'Choose why the family must not see it'],
          ['restriction_text', visibility.choice === 'restrict' && visibility.reason === 'other' && !visibility.text.trim() && 'Describe why the family must not see it'],
          ['reason', withReason && !reason.trim() && 'Enter the reason for the correction'],
        ]));
        if (!ok) return;
        setBusy(true);
        try {
          await onSubmit(f, reason.trim(), visibility);
          setF(initial);
          setReason('');
          setVisibility(startVisibility);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <DateField id={`${id}-occurred_on`} label="Date of the event" value={f.occurred_on} onInput={set('occurred_on')} />
      <div class="kith-filters">
        <TextField id={`${id}-occurred_time`} label="Time (optional)" hint="For example, 14:30" value={f.occurred_time} onInput={set('occurred_time')} width="5" inputMode="numeric" maxLength={5} />
        <SelectField id={`${id}-type`} label="Type of event" value={f.type} onInput={set('type')} options={ENTRY_TYPES} />
      </div>
      <SignificanceRadios id={`${id}-significance`} value={f.significance} onInput={set('significance')} />
      <TextField id={`${id}-summary`} label="Summary" hint="One line: what happened." value={f.summary} onInput={set('summary')} maxLength={200} required />
      <TextArea id={`${id}-detail`} label="Detail (optional)" value={f.detail} onInput={set('detail')} rows={4} maxLength={5000} />
      <VisibilityControl id={id} value={visibility} onInput={setVisibility} childName={childName} current={currentVisibility} />
      {withReason && (
        <TextArea id={`${id}-reason`} label="Reason for the correction" hint="The original stays in the history." value={reason} onInput={setReason} rows={2} maxLength={500} required />
      )}
      <WhoWillSee value={visibility} childName={childName} current={currentVisibility} testid={`${id}-who-will-see`} />
      <div class="govuk-button-group">
        <Button busy={busy} testid={`${id}-submit`}>{submitLabel}</Button>
        {onCancel && (
          <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
    </FormErrors>
  );
}

function History({ childId, entry }: { childId: string; entry: Entry }) {
  const h = useAsync(() => api.get<{ versions: Entry[] }>(`/api/v1/children/${seg(childId)}/chronology/${seg(entry.id)}/history`), [entry.id]);
  return (
    <Loaded state={h} what="The history">
      {(d) => (
        <ol class="govuk-list govuk-list--number" data-testid="history">
          {d.versions.map((v) => (
            <li key={v.id}>
              <strong>{v.summary}</strong> ({formatDate(v.occurred_on)}, {entryTypeLabel(v.type)}, {v.significance}) — recorded{' '}
              {formatDateTime(v.recorded_at)} by {v.author_name}
              {v.correction_reason && <> · reason: {v.correction_reason}</>}
            </li>
          ))}
        </ol>
      )}
    </Loaded>
  );
}

export function EntryItem({ entry, childId, childName, onChanged, highlight }: { entry: Entry; childId?: string; childName?: string; onChanged?: () => void; highlight?: boolean }) {
  const [mode, setMode] = useState<'none' | 'correct' | 'history' | 'share' | 'keep'>('none');
  const [said, setSaid] = useState('');
  const shared = entry.family_visibility?.visibility === 'team_and_family';
  return (
    <li class={`kith-entry kith-entry--${entry.significance}${highlight ? ' kith-entry--highlight' : ''}`} data-testid="entry">
      <div class="kith-entry__head">
        <span class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-0">
          {formatDate(entry.occurred_on)}
          {entry.occurred_time && `, ${entry.occurred_time}`}
        </span>
        <SignificanceTag value={entry.significance} />
        <span class="govuk-body-s govuk-!-margin-bottom-0">{entryTypeLabel(entry.type)}</span>
        <span class="govuk-body-s govuk-!-margin-bottom-0 kith-meta">{entry.agency_name}</span>
        <VisibilityTag value={entry.family_visibility} />
      </div>
      <p class="kith-entry__summary">{entry.summary}</p>
      {entry.detail && <p class="kith-entry__detail">{entry.detail}</p>}
      <p class="kith-meta">
        Recorded by {entry.author_name} on {formatDateTime(entry.recorded_at)}
        {entry.version > 1 && <> · corrected (version {entry.version}){entry.correction_reason && `: ${entry.correction_reason}`}</>}
        {entry.source.kind === 'forum' && entry.source.thread_id && childId && (
          <>
            {' '}
            · from a <a class="govuk-link" href={href('children', childId, 'forum')}>forum discussion</a>
          </>
        )}
      </p>
      {childId && onChanged && (
        <div class="kith-inline-actions">
          <button type="button" class="kith-link-button" aria-expanded={mode === 'correct'} onClick={() => setMode(mode === 'correct' ? 'none' : 'correct')}>
            Correct<span class="govuk-visually-hidden"> “{entry.summary}”</span>
          </button>
          {entry.version > 1 && (
            <button type="button" class="kith-link-button" aria-expanded={mode === 'history'} onClick={() => setMode(mode === 'history' ? 'none' : 'history')}>
              History<span class="govuk-visually-hidden"> of “{entry.summary}”</span>
            </button>
          )}
          {shared ? (
            <button type="button" class="kith-link-button" aria-expanded={mode === 'keep'} data-testid="keep-entry" onClick={() => setMode(mode === 'keep' ? 'none' : 'keep')}>
              Keep from the family<span class="govuk-visually-hidden">: “{entry.summary}”</span>
            </button>
          ) : (
            <button type="button" class="kith-link-button" aria-expanded={mode === 'share'} data-testid="share-entry" onClick={() => setMode(mode === 'share' ? 'none' : 'share')}>
              Share with the family<span class="govuk-visually-hidden">: “{entry.summary}”</span>
            </button>
          )}
        </div>
      )}
      {said && <p class="govuk-body govuk-!-margin-top-2" role="status" data-testid="entry-status">{said}</p>}
      {mode === 'share' && childId && onChanged && (
        <div class="govuk-!-margin-top-3">
          <ShareWithFamily childId={childId} subjectId={entry.lineage_id} title={entry.summary} childName={childName ?? 'the child'} onCancel={() => setMode('none')} onDone={(m) => { setSaid(m); setMode('none'); onChanged(); }} />
        </div>
      )}
      {mode === 'keep' && childId && onChanged && (
        <div class="govuk-!-margin-top-3">
          <KeepFromFamily childId={childId} subjectId={entry.lineage_id} title={entry.summary} onCancel={() => setMode('none')} onDone={(m) => { setSaid(m); setMode('none'); onChanged(); }} />
        </div>
      )}
      {mode === 'history' && childId && <History childId={childId} entry={entry} />}
      {mode === 'correct' && childId && onChanged && (
        <div class="govuk-!-margin-top-3">
          <EntryForm
            id={`correct-${entry.id}`}
            initial={{
              occurred_on: entry.occurred_on,
              occurred_time: entry.occurred_time ?? '',
              type: entry.type,
              significance: entry.significance,
              summary: entry.summary,
              detail: entry.detail,
            }}
            withReason
            childName={childName ?? 'the child'}
            currentVisibility={entry.family_visibility ?? { visibility: 'team', restriction_reason: null, restriction_text: '', review: 'none' }}
            submitLabel="Save correction"
            onCancel={() => setMode('none')}
            onSubmit={async (f, reason, visibility) => {
              const body: Body<'/api/v1/children/{child_id}/chronology/{entry_id}/corrections', 'post'> = { reason, ...visibilityBody(visibility) };
              if (f.occurred_on !== entry.occurred_on) body.occurred_on = f.occurred_on;
              // A time once given is changed, not removed (the API keeps a time left out as it is).
              if (f.occurred_time && f.occurred_time !== (entry.occurred_time ?? '')) body.occurred_time = f.occurred_time;
              if (f.type !== entry.type) body.type = f.type as NewEntry['type'];
              if (f.significance !== entry.significance) body.significance = f.significance as NewEntry['significance'];
              if (f.summary !== entry.summary) body.summary = f.summary;
              if (f.detail !== entry.detail) body.detail = f.detail;
              await api.post('/api/v1/children/{child_id}/chronology/{entry_id}/corrections', { child_id: childId, entry_id: entry.id }, body);
              setMode('none');
              onChanged();
            }}
          />
        </div>
      )}
    </li>
  );
}

type ImportResult = ImportReport;

/** Imports entries from a CSV file (columns date,time,agency,type,significance,summary,detail). */
function ImportCsv({ childId, onImported }: { childId: string; onImported: () => void }) {
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file) return;
        setBusy(true);
        setError(undefined);
        setResult(undefined);
        try {
          const text = await file.text();
          const r = await api.post('/api/v1/children/{child_id}/chronology/import', { child_id: childId }, text, { contentType: 'text/csv' });
          setResult(r);
          if (r.imported > 0) onImported();
        } catch (err) {
          setError(err as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} idPrefix="import" />
      <div class="govuk-form-group">
        <label class="govuk-label" for="import-file">
          CSV file
        </label>
        <div id="import-file-hint" class="govuk-hint">
          Columns: date, time, agency, type, significance, summary, detail. The first row holds the column names.
        </div>
        <input
          class="govuk-file-upload"
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="import-file-hint"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
        />
      </div>
      <Button busy={busy} secondary>Import entries</Button>
      {result && (
        <div class="govuk-inset-text" role="status">
          Imported {result.imported} of {result.rows_read} rows.
          {result.errors.length > 0 && (
            <ul class="govuk-list govuk-list--bullet">
              {result.errors.map((x, i) => (
                <li key={i}>
                  Line {x.line}, {x.field}: {x.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

interface Filters {
  agency_id: string;
  type: string;
  min_significance: string;
  from: string;
  to: string;
}

const PAGE = 30;

const NO_FILTERS: Filters = { agency_id: '', type: '', min_significance: '', from: '', to: '' };

export function Chronology({ childId, account, versions }: TabProps) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const filterProblems = useProblems();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState('');
  const [shown, setShown] = useState(PAGE);
  const entries = useAsync(
    () => api.get<{ entries: Entry[] }>(`/api/v1/children/${seg(childId)}/chronology${query({ ...applied })}`),
    [childId, applied, versions.chronology],
  );
  useEffect(() => {
    setAdded('');
    setShown(PAGE);
  }, [applied]);
  const agencyOptions: [string, string][] = account.agencies.map((a) => [a.id, a.name]);
  for (const m of account.team) if (m.agency && !agencyOptions.some(([id]) => id === m.agency!.id)) agencyOptions.push([m.agency.id, m.agency.name]);
  const set = (k: keyof Filters) => (v: string) => setFilters({ ...filters, [k]: v });
  const filtered = Object.values(applied).some(Boolean);

  if (entries.error?.notAvailable) return <Loaded state={entries} what="The chronology">{() => null}</Loaded>;

  return (
    <>
      <div class="kith-inline-actions govuk-!-margin-bottom-4">
        {!adding && (
          <button type="button" class="govuk-button govuk-!-margin-bottom-0" onClick={() => setAdding(true)} data-testid="add-entry">
            Add an entry
          </button>
        )}
        <a class="govuk-link" href={`/api/v1/children/${seg(childId)}/chronology/print`} target="_blank" rel="noopener">
          Printable chronology (opens in a new tab)
        </a>
      </div>
      {added && <Success>{added}</Success>}
      {adding && (
        <section class="kith-card" aria-labelledby="add-h">
          <h3 class="govuk-heading-m" id="add-h">
            Add an entry
          </h3>
          <p class="govuk-body">The entry is recorded against your agency and the whole team sees it straight away.</p>
          <EntryForm
            id="new-entry"
            initial={{ occurred_on: todayIso(), occurred_time: '', type: 'contact', significance: 'routine', summary: '', detail: '' }}
            submitLabel="Add to chronology"
            childName={fullName(account.child)}
            onCancel={() => setAdding(false)}
            onSubmit={async (f, _reason, visibility) => {
              const body: NewEntry = {
                occurred_on: f.occurred_on, type: f.type as NewEntry['type'], significance: f.significance as NewEntry['significance'],
                summary: f.summary.trim(), ...visibilityBody(visibility),
              };
              if (f.occurred_time) body.occurred_time = f.occurred_time;
              if (f.detail.trim()) body.detail = f.detail.trim();
              await api.post('/api/v1/children/{child_id}/chronology', { child_id: childId }, body);
              setAdding(false);
              setAdded('The entry was added to the chronology.');
              entries.reload();
            }}
          />
        </section>
      )}
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Import entries from a spreadsheet (CSV)</span>
        </summary>
        <div class="govuk-details__text">
          <ImportCsv childId={childId} onImported={entries.reload} />
        </div>
      </details>
      <details class="govuk-details" open={filtered}>
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Filter the chronology{filtered ? ' (filters applied)' : ''}</span>
        </summary>
        <div class="govuk-details__text">
          <FormErrors error={filterProblems.error} errors={filterProblems.errors} idPrefix="f">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const ok = filterProblems.passes(check([
                ['from', dateProblem(filters.from, 'the start date')],
                ['to', dateProblem(filters.to, 'the end date') || (filters.from && filters.to && filters.to < filters.from && 'The end date must be the same as or after the start date')],
              ]));
              if (ok) setApplied(filters);
            }}
          >
            <div class="kith-filters">
              <SelectField id="f-agency" label="Agency" value={filters.agency_id} onInput={set('agency_id')} options={agencyOptions} emptyLabel="All agencies" />
              <SelectField id="f-type" label="Type" value={filters.type} onInput={set('type')} options={ENTRY_TYPES} emptyLabel="All types" />
              <SelectField
                id="f-sig"
                label="Significance"
                value={filters.min_significance}
                onInput={set('min_significance')}
                options={[['notable', 'Notable and serious'], ['serious', 'Serious only']]}
                emptyLabel="All"
              />
            </div>
            <div class="kith-filters">
              <DateField id="f-from" label="From" value={filters.from} onInput={set('from')} />
              <DateField id="f-to" label="To" value={filters.to} onInput={set('to')} />
            </div>
            <div class="govuk-button-group">
              <Button secondary testid="apply-filters">Apply filters</Button>
              {filtered && (
                <button type="button" class="kith-link-button" onClick={() => { setFilters(NO_FILTERS); setApplied(NO_FILTERS); }}>
                  Clear filters
                </button>
              )}
            </div>
          </form>
          </FormErrors>
        </div>
      </details>
      <Loaded state={entries} what="The chronology">
        {(d) =>
          d.entries.length === 0 ? (
            <p class="govuk-body">{filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}</p>
          ) : (
            <>
              <p class="govuk-body" aria-live="polite">
                {d.entries.length} entr{d.entries.length === 1 ? 'y' : 'ies'}, newest first{d.entries.length > shown ? ` (showing ${shown})` : ''}.
              </p>
              <ol class="kith-timeline" data-testid="chronology">
                {d.entries.slice(0, shown).map((e) => (
                  <EntryItem key={e.id} entry={e} childId={childId} childName={fullName(account.child)} onChanged={entries.reload} />
                ))}
              </ol>
              {d.entries.length > shown && (
                <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setShown(shown + PAGE)}>
                  Show {Math.min(PAGE, d.entries.length - shown)} more (of {d.entries.length - shown} older)
                </button>
              )}
            </>
          )
        }
      </Loaded>
    </>
  );
}
