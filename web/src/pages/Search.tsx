// Find a child and signpost: search terms and the reason stay in memory only (never in the URL);
// the search and every signposting view are audited with the reason.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Body } from '../api';
import { href } from '../router';
import type { SearchResult } from '../types';
import { age, formatDate, fullName } from '../format';
import { Button, check, DateField, dateProblem, FormErrors, NotAvailable, TextArea, TextField, useProblems } from '../components/ui';
import { addChildFrom, type RecordFields } from './ChildRecord';
import { SignpostAndJoin } from './Signposting';

interface Terms {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  postcode: string;
  nhs_number: string;
  upn: string;
}

/** What the reader searched for, as the start of a new record. */
function fromTerms(t: Terms): Partial<RecordFields> {
  return { given_names: t.given_name, family_name: t.family_name, date_of_birth: t.date_of_birth, postcode: t.postcode, nhs_number: t.nhs_number, upn: t.upn };
}

/** What to try when nothing matched, and how to record a child who is not in Kith yet. */
export function NoMatch({ onAdd }: { onAdd: () => void }) {
  return (
    <div data-testid="no-match">
      <p class="govuk-body">Kith found no child with those details. Try:</p>
      <ul class="govuk-list govuk-list--bullet">
        <li>checking the spelling, or searching with the first name alone, or a known nickname</li>
        <li>leaving out the date of birth or the postcode if you are not sure of them</li>
        <li>searching by NHS number or Unique Pupil Number if you have one</li>
      </ul>
      <p class="govuk-body">
        A shielded child is found only by their exact full name and date of birth. If you still cannot find the child, contact
        your local authority's children's social care front door.
      </p>
      <h3 class="govuk-heading-s">The child is not in Kith yet</h3>
      <p class="govuk-body">If you are sure, add them. Kith checks again for the same child before it makes the record.</p>
      <button type="button" class="govuk-button govuk-button--secondary" data-testid="add-child" onClick={onAdd}>
        Add a child to the index
      </button>
    </div>
  );
}

const EMPTY: Terms = { given_name: '', family_name: '', date_of_birth: '', postcode: '', nhs_number: '', upn: '' };

export function Search() {
  const [terms, setTerms] = useState<Terms>(EMPTY);
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<{ results: SearchResult[]; truncated: boolean }>();
  const problems = useProblems();
  const error = problems.error;
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<SearchResult>();
  const resultsRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Find a child – Kith';
  }, []);
  const set = (k: keyof Terms) => (v: string) => setTerms({ ...terms, [k]: v });

  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = problems.passes(check([
      ['given_name', !Object.entries(terms).some(([, v]) => v.trim()) && 'Enter at least a name, date of birth, postcode, NHS number or Unique Pupil Number'],
      ['date_of_birth', dateProblem(terms.date_of_birth, 'the date of birth', { notFuture: true })],
      ['reason', (!reason.trim() && 'Enter why you are looking for this child') || (reason.trim().length < 10 && 'Your reason must be at least 10 characters')],
    ]));
    if (!ok) return;
    setBusy(true);
    setChosen(undefined);
    const body: Body<'/api/v1/search', 'post'> = { reason: reason.trim() };
    for (const k of Object.keys(terms) as (keyof Terms)[]) if (terms[k].trim()) body[k] = terms[k].trim();
    try {
      setResults(await api.post('/api/v1/search', body));
      setTimeout(() => resultsRef.current?.focus(), 0);
    } catch (err) {
      problems.fail(err);
      setResults(undefined);
    } finally {
      setBusy(false);
    }
  };

  if (error?.notAvailable) {
    return (
      <>
        <h1 class="govuk-heading-l">Find a child</h1>
        <NotAvailable what="Search" />
      </>
    );
  }

  return (
    <>
      <h1 class="govuk-heading-l">Find a child</h1>
      <div class="kith-grid kith-grid--halves">
        <div class="kith-card">
          <p class="govuk-body">Enter what you know. Kith tolerates typing mistakes, nicknames and missing details.</p>
          <FormErrors error={problems.error} errors={problems.errors} idPrefix="search">
          <form onSubmit={submit} noValidate data-testid="search-form">
            <TextField id="search-given_name" label="First name" value={terms.given_name} onInput={set('given_name')} maxLength={100} />
            <TextField id="search-family_name" label="Last name" value={terms.family_name} onInput={set('family_name')} maxLength={100} />
            <DateField id="search-date_of_birth" label="Date of birth" value={terms.date_of_birth} onInput={set('date_of_birth')} />
            <TextField id="search-postcode" label="Postcode" value={terms.postcode} onInput={set('postcode')} width="10" maxLength={10} />
            <TextField id="search-nhs_number" label="NHS number" value={terms.nhs_number} onInput={set('nhs_number')} width="10" inputMode="numeric" maxLength={14} />
            <TextField id="search-upn" label="Unique Pupil Number" value={terms.upn} onInput={set('upn')} width="10" maxLength={16} />
            <TextArea
              id="search-reason"
              label="Why are you looking for this child?"
              hint="Between 10 and 500 characters. Your reason and search are recorded in the audit log."
              value={reason}
              onInput={setReason}
              rows={3}
              maxLength={500}
              required
            />
            <Button busy={busy} testid="search">Search</Button>
          </form>
          </FormErrors>
        </div>
        <div>
          {results && (
            <section class="kith-card" aria-labelledby="results-h">
              <h2 class="govuk-heading-m" id="results-h" tabIndex={-1} ref={resultsRef}>
                {results.results.length === 0 ? 'No children found' : `${results.results.length} possible match${results.results.length === 1 ? '' : 'es'}`}
              </h2>
              {results.truncated && <p class="govuk-body">Only the closest matches are shown. Add more detail to narrow the search.</p>}
              {results.results.length === 0 && <NoMatch onAdd={() => addChildFrom(fromTerms(terms))} />}
              {results.results.length > 0 && (
                <ul class="kith-child-list" data-testid="search-results">
                  {results.results.map((r) => (
                    <li class="kith-child-list__item" key={r.child_id}>
                      <p class="govuk-body govuk-!-margin-bottom-1">
                        <span class="kith-child-list__name">{fullName(r)}</span>
                        {r.shielded && <> <strong class="govuk-tag govuk-tag--grey">Shielded</strong></>}
                      </p>
                      <p class="kith-meta">
                        Born {formatDate(r.date_of_birth)} ({age(r.date_of_birth)}) · {r.postcode_district ?? 'Area hidden'} · Match {Math.round(r.score * 100)}%
                      </p>
                      <p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                        {r.on_my_team ? (
                          <a class="govuk-link" href={href('children', r.child_id)}>
                            Open account<span class="govuk-visually-hidden"> for {fullName(r)}</span>
                          </a>
                        ) : (
                          <button type="button" class="kith-link-button" onClick={() => setChosen(r)} data-testid="choose-result">
                            See who is involved<span class="govuk-visually-hidden"> with {fullName(r)}</span>
                          </button>
                        )}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
              {results.results.length > 0 && (
                <p class="govuk-body govuk-!-margin-top-4">
                  None of these is the child?{' '}
                  <button type="button" class="kith-link-button" data-testid="add-child-from-results" onClick={() => addChildFrom(fromTerms(terms))}>
                    Add a child to the index
                  </button>
                </p>
              )}
            </section>
          )}
          {chosen && (
            <section class="kith-card" aria-labelledby="chosen-h" key={chosen.child_id}>
              <h2 class="govuk-heading-m" id="chosen-h">
                {fullName(chosen)}
              </h2>
              <SignpostAndJoin childId={chosen.child_id} initialReason={reason} />
            </section>
          )}
        </div>
      </div>
    </>
  );
}
