// The national index's clerical review queue (managers of the authority; docs/adr/0004):
// records the linkage engine could not decide on import, shown side by side with each
// candidate child and the evidence, and a decision with a reason (audited).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { href } from '../router';
import type { ReviewCandidate, ReviewDetail, ReviewSummary, SourceRecord } from '../types';
import { formatDate, formatDateTime, humanise } from '../format';
import { Button, FormError, Loaded, Success, TableWrap, TextArea, useAsync } from '../components/ui';

const percent = (p: number) => `${Math.round(p * 100)}%`;

export function ReviewQueue() {
  const queue = useAsync(() => api.get<{ reviews: ReviewSummary[] }>('/api/v1/index/reviews'), []);
  useEffect(() => {
    document.title = 'Index review – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Index review</h1>
      <p class="govuk-body">
        Records from source feeds that could be a child already in the index, but not certainly. Compare each with its
        candidates and decide. Every look and decision is recorded with your reason.
      </p>
      <Loaded state={queue} what="The review queue">
        {(d) =>
          d.reviews.length === 0 ? (
            <p class="govuk-body" data-testid="review-empty">There is nothing to review.</p>
          ) : (
            <TableWrap label="Records to review">
              <table class="govuk-table kith-table--stack" data-testid="review-queue">
                <caption class="govuk-table__caption govuk-table__caption--m">{d.reviews.length} to review, oldest first</caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">Record</th>
                    <th scope="col" class="govuk-table__header">Source</th>
                    <th scope="col" class="govuk-table__header">Date of birth</th>
                    <th scope="col" class="govuk-table__header">Candidates</th>
                    <th scope="col" class="govuk-table__header">Best match</th>
                    <th scope="col" class="govuk-table__header">Imported</th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {d.reviews.map((r) => (
                    <tr class="govuk-table__row" key={r.id}>
                      <td class="govuk-table__cell">
                        <a class="govuk-link" href={href('reviews', r.id)}>
                          {r.given_name} {r.family_name}
                        </a>
                      </td>
                      <td class="govuk-table__cell">
                        {r.source} <span class="kith-meta">({r.record_id})</span>
                      </td>
                      <td class="govuk-table__cell">Born {r.date_of_birth ? formatDate(r.date_of_birth) : 'not given'}</td>
                      <td class="govuk-table__cell">{r.candidates} candidate{r.candidates === 1 ? '' : 's'}</td>
                      <td class="govuk-table__cell">{percent(r.best_probability)} likely</td>
                      <td class="govuk-table__cell">{formatDateTime(r.created_at)}</td>
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

const FIELDS: [keyof SourceRecord, string][] = [
  ['given_name', 'Given name'],
  ['family_name', 'Family name'],
  ['date_of_birth', 'Date of birth'],
  ['sex', 'Sex'],
  ['address', 'Address'],
  ['postcode', 'Postcode'],
  ['nhs_number', 'NHS number'],
  ['upn', 'UPN'],
];

function candidateValue(c: ReviewCandidate, field: keyof SourceRecord): string {
  const k = c.child;
  switch (field) {
    case 'given_name': return k.given_names;
    case 'family_name': return k.family_name;
    case 'date_of_birth': return k.date_of_birth ? formatDate(k.date_of_birth) : '';
    case 'sex': return k.sex === 'not_known' ? '' : k.sex;
    case 'address': return k.shielded ? 'Shielded' : k.address;
    case 'postcode': return k.shielded ? 'Shielded' : k.postcode;
    case 'nhs_number': return k.nhs_number;
    case 'upn': return k.upn;
    default: return '';
  }
}

function recordValue(r: SourceRecord, field: keyof SourceRecord): string {
  const v = r[field];
  if (field === 'date_of_birth') return v ? formatDate(String(v)) : '';
  return typeof v === 'string' ? v : '';
}

function SideBySide({ review }: { review: ReviewDetail }) {
  return (
    <TableWrap label="The record and its candidates side by side">
      <table class="govuk-table" data-testid="review-side-by-side">
        <caption class="govuk-table__caption govuk-table__caption--m">The record and its candidates</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Field</th>
            <th scope="col" class="govuk-table__header">
              This record
              <br />
              <span class="kith-meta">{review.record.source} ({review.record.record_id})</span>
            </th>
            {review.candidates.map((c, i) => (
              <th scope="col" class="govuk-table__header" key={c.child.id}>
                Candidate {i + 1}: {percent(c.probability)}
                <br />
                <span class="kith-meta">Kith ID {c.child.id}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {FIELDS.map(([field, label]) => (
            <tr class="govuk-table__row" key={field}>
              <th scope="row" class="govuk-table__header">{label}</th>
              <td class="govuk-table__cell">{recordValue(review.record, field) || <span class="kith-meta">Not given</span>}</td>
              {review.candidates.map((c) => (
                <td class="govuk-table__cell" key={c.child.id}>{candidateValue(c, field) || <span class="kith-meta">Not given</span>}</td>
              ))}
            </tr>
          ))}
          <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">Known from</th>
            <td class="govuk-table__cell">
              {Object.entries(review.record.attributes).map(([k, v]) => (
                <div key={k}>{humanise(k)}: {v}</div>
              ))}
            </td>
            {review.candidates.map((c) => (
              <td class="govuk-table__cell" key={c.child.id}>
                {c.sources.length === 0 ? <span class="kith-meta">Recorded in Kith</span> : c.sources.map((s) => <div key={s.id}>{s.source} ({s.record_id})</div>)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

const fieldLabel = (field: string) => FIELDS.find(([f]) => f === field)?.[1] ?? humanise(field);
const signed = (w: number) => `${w > 0 ? '+' : ''}${w.toFixed(2)}`;

function Evidence({ candidate, n }: { candidate: ReviewCandidate; n: number }) {
  // The match weight is the prior log-odds plus the fields' weights (and a term-frequency
  // adjustment for common values): the remainder is shown as the starting point.
  const start = candidate.weight - candidate.evidence.reduce((sum, e) => sum + e.weight, 0);
  return (
    <TableWrap label={`Evidence for candidate ${n}`}>
      <table class="govuk-table" data-testid="review-evidence">
        <caption class="govuk-table__caption govuk-table__caption--s">
          Evidence for candidate {n}: match weight {candidate.weight.toFixed(1)}, probability {percent(candidate.probability)}
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Field</th>
            <th scope="col" class="govuk-table__header">Comparison</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Weight</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          <tr class="govuk-table__row">
            <td class="govuk-table__cell">Starting point</td>
            <td class="govuk-table__cell">how unlikely two records picked at random are the same child</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{signed(start)}</td>
          </tr>
          {candidate.evidence.map((e) => (
            <tr class="govuk-table__row" key={e.field}>
              <td class="govuk-table__cell">{fieldLabel(e.field)}</td>
              <td class="govuk-table__cell">{e.outcome}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{signed(e.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Decide({ review, onDecided }: { review: ReviewDetail; onDecided: (r: ReviewDetail) => void }) {
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!choice) {
      setError(new ApiError({ status: 400, title: 'Choose a decision', detail: 'Choose a decision.', code: 'invalid_input', field: 'decision' }));
      return;
    }
    setBusy(true);
    setError(undefined);
    const body = choice === 'new' ? { decision: 'not_a_match' as const, reason: reason.trim() } : { decision: 'match' as const, child_id: choice, reason: reason.trim() };
    try {
      onDecided(await api.post('/api/v1/index/reviews/{review_id}/decision', { review_id: review.id }, body));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={submit} data-testid="review-decide">
      <FormError error={error} idPrefix="rv" />
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset" id="rv-decision">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Is this record one of the candidates?</legend>
          <div class="govuk-radios">
            {review.candidates.map((c, i) => (
              <div class="govuk-radios__item" key={c.child.id}>
                <input class="govuk-radios__input" id={`rv-${c.child.id}`} name="decision" type="radio" value={c.child.id} checked={choice === c.child.id} onChange={() => setChoice(c.child.id)} />
                <label class="govuk-label govuk-radios__label" for={`rv-${c.child.id}`}>
                  Yes: candidate {i + 1}, {c.child.given_names} {c.child.family_name}
                </label>
              </div>
            ))}
            <div class="govuk-radios__item">
              <input class="govuk-radios__input" id="rv-new" name="decision" type="radio" value="new" checked={choice === 'new'} onChange={() => setChoice('new')} />
              <label class="govuk-label govuk-radios__label" for="rv-new">No: a child not yet in the index</label>
            </div>
          </div>
        </fieldset>
      </div>
      <TextArea id="rv-reason" label="Reason" hint="What you checked, for the audit trail (at least 10 characters)." value={reason} onInput={setReason} error={error?.field === 'reason' ? error.detail : undefined} rows={3} />
      <Button busy={busy} testid="review-submit">Record the decision</Button>
    </form>
  );
}

export function ReviewPage({ id }: { id: string }) {
  const review = useAsync(() => api.get<ReviewDetail>(`/api/v1/index/reviews/${seg(id)}`), [id]);
  useEffect(() => {
    document.title = 'Review a record – Kith';
  }, []);
  return (
    <>
      <a class="govuk-back-link" href={href('reviews')}>Back to the review queue</a>
      <h1 class="govuk-heading-l">Review a record</h1>
      <Loaded state={review} what="The review">
        {(r) => (
          <>
            {r.status !== 'open' && (
              <Success>
                Decided {r.decided_at ? formatDateTime(r.decided_at) : ''}:{' '}
                {r.status === 'matched' ? 'the record is an existing child' : 'the record is a new child'} (Kith ID {r.decided_child_id}).
              </Success>
            )}
            <SideBySide review={r} />
            {r.candidates.map((c, i) => <Evidence candidate={c} n={i + 1} key={c.child.id} />)}
            {r.candidates.length >= 2 && (
              <p class="govuk-body">
                If candidates 1 and 2 are the same child,{' '}
                <a class="govuk-link" href={href('merges', 'compare', r.candidates[0].child.id, r.candidates[1].child.id)} data-testid="review-merge-link">
                  compare them for a merge
                </a>
                .
              </p>
            )}
            {r.status === 'open' ? (
              <Decide review={r} onDecided={(d) => review.set(d)} />
            ) : (
              <p class="govuk-body">
                <a class="govuk-link" href={href('reviews')}>Back to the review queue</a>
              </p>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
