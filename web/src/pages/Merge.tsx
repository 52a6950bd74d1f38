// Merge and un-merge of two records of one child (docs/linkage.md, "Merge and un-merge"): find
// the two records (or come from the review page with two candidates), see them side by side,
// merge with a reason; a merge's page shows its history and undoes it. The server decides who
// may merge (docs/adr/0004-index-stewards.md) and what may be merged; its refusals are shown as it
// words them. Search terms and reasons stay in memory only, never in the URL.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import { href, navigate } from '../router';
import type { ChildMerge, SearchResult, Signposting } from '../types';
import { age, formatDate, formatDateTime, fullName } from '../format';
import { Button, check, DateField, dateProblem, FormErrors, Loaded, reasonProblem, Success, TableWrap, TextArea, TextField, useAsync, useProblems } from '../components/ui';

type Side = 'survivor' | 'merged';

/** The page's reason for its searches and looks, checked as the API checks it. */
const lookReasonProblem = (reason: string) => reasonProblem(reason, 'Enter why you are working on these records');

/** The two records side by side, as the review page shows a record and its candidates. */
function SideBySide({ a, b }: { a: Signposting; b: Signposting }) {
  const rows: [string, (s: Signposting) => string][] = [
    ['Given names', (s) => s.given_names],
    ['Family name', (s) => s.family_name],
    ['Date of birth', (s) => (s.date_of_birth ? `${formatDate(s.date_of_birth)} (${age(s.date_of_birth)})` : '')],
    ['Sex', (s) => (s.sex === 'not_known' ? '' : s.sex)],
    ['Address', (s) => (s.shielded && !s.break_glass ? 'Shielded' : [s.address, s.postcode].filter(Boolean).join(', '))],
    ['Lead professional', (s) => (s.lead_professional ? `${s.lead_professional.display_name}, ${s.lead_professional.role}` : s.has_lead_professional ? 'Withheld (shielded)' : '')],
    ['Early help assessment', (s) => (s.early_help_assessment ? 'Yes' : 'No')],
    ['Services', (s) => s.services.map((v) => `${v.agency?.name ?? v.agency_kind_name ?? 'Agency'}: ${v.description}`).join('; ')],
  ];
  return (
    <TableWrap label="The two records side by side">
      <table class="govuk-table" data-testid="merge-side-by-side">
        <caption class="govuk-table__caption govuk-table__caption--m">The two records</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Field</th>
            <th scope="col" class="govuk-table__header">
              Record to keep
              <br />
              <span class="kith-meta">Kith ID {a.child_id}</span>
            </th>
            <th scope="col" class="govuk-table__header">
              Duplicate to merge away
              <br />
              <span class="kith-meta">Kith ID {b.child_id}</span>
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {rows.map(([label, value]) => {
            const va = value(a);
            const vb = value(b);
            return (
              <tr class="govuk-table__row" key={label}>
                <th scope="row" class="govuk-table__header">{label}</th>
                <td class="govuk-table__cell">{va || <span class="kith-meta">Not given</span>}</td>
                <td class="govuk-table__cell">
                  {vb || <span class="kith-meta">Not given</span>}
                  {va && vb && va !== vb && <> <strong class="govuk-tag govuk-tag--yellow">Differs</strong></>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

/**
 * The search for the two records. `reasonPasses` checks the page's reason and marks its field
 * (the reason is recorded with the search); a problem with the search itself shows here.
 */
function ChildSearch({ reason, reasonPasses, onChoose, chosen }: {
  reason: string;
  reasonPasses: () => boolean;
  onChoose: (r: SearchResult, side: Side) => void;
  chosen: Record<Side, string | undefined>;
}) {
  const [given, setGiven] = useState('');
  const [family, setFamily] = useState('');
  const [dob, setDob] = useState('');
  const [results, setResults] = useState<SearchResult[]>();
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <form
        noValidate
        data-testid="merge-search"
        onSubmit={async (e) => {
          e.preventDefault();
          const reasonOk = reasonPasses();
          if (!problems.passes(check([
            ['date_of_birth', dateProblem(dob, 'the date of birth', { notFuture: true })],
          ])) || !reasonOk) return;
          setBusy(true);
          const body: Body<'/api/v1/search', 'post'> = { reason: reason.trim() };
          if (given.trim()) body.given_name = given.trim();
          if (family.trim()) body.family_name = family.trim();
          if (dob) body.date_of_birth = dob;
          try {
            setResults((await api.post('/api/v1/search', body)).results);
          } catch (err) {
            problems.fail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormErrors error={problems.error} errors={problems.errors} idPrefix="ms">
          <div class="kith-grid kith-grid--halves">
            <TextField id="ms-given_name" label="First name" value={given} onInput={setGiven} maxLength={100} />
            <TextField id="ms-family_name" label="Last name" value={family} onInput={setFamily} maxLength={100} />
          </div>
          <DateField id="ms-date_of_birth" label="Date of birth" value={dob} onInput={setDob} />
        </FormErrors>
        <Button secondary busy={busy} testid="merge-search-submit">Find records</Button>
      </form>
      {results && (
        results.length === 0 ? (
          <p class="govuk-body">No records found.</p>
        ) : (
          <TableWrap label="Records found">
            <table class="govuk-table kith-table--stack" data-testid="merge-results">
              <caption class="govuk-table__caption govuk-table__caption--s">Records found</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Child</th>
                  <th scope="col" class="govuk-table__header">Born</th>
                  <th scope="col" class="govuk-table__header">Area</th>
                  <th scope="col" class="govuk-table__header">Choose</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {results.map((r) => (
                  <tr class="govuk-table__row" key={r.child_id}>
                    <td class="govuk-table__cell">
                      {fullName(r)} <span class="kith-meta">Kith ID {r.child_id}</span>
                    </td>
                    <td class="govuk-table__cell">{formatDate(r.date_of_birth)}</td>
                    <td class="govuk-table__cell">{r.shielded ? 'Shielded' : r.postcode_district ?? 'Not known'}</td>
                    <td class="govuk-table__cell">
                      {(['survivor', 'merged'] as Side[]).map((side) => (
                        <button
                          type="button"
                          class="kith-link-button govuk-!-margin-right-3"
                          key={side}
                          aria-pressed={chosen[side] === r.child_id}
                          data-testid={`choose-${side}`}
                          onClick={() => onChoose(r, side)}
                        >
                          {side === 'survivor' ? 'Keep this record' : 'Merge this one away'}
                          <span class="govuk-visually-hidden"> ({fullName(r)}, {r.child_id})</span>
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )
      )}
    </>
  );
}

/** Choose two records, compare them, merge. `initial` comes from the review page's candidates. */
export function MergeStart({ initial }: { initial?: [string, string] }) {
  const [reason, setReason] = useState('');
  const [ids, setIds] = useState<Record<Side, string | undefined>>({ survivor: initial?.[0], merged: initial?.[1] });
  const [pair, setPair] = useState<[Signposting, Signposting]>();
  const [mergeReason, setMergeReason] = useState('');
  const [openId, setOpenId] = useState('');
  // The reason for looking (top of the page) and the merge's own reason, each with its problems.
  const looking = useProblems();
  const merging = useProblems();
  const [busy, setBusy] = useState(false);
  const reasonPasses = () => looking.passes(check([['reason', lookReasonProblem(reason)]]));
  useEffect(() => {
    document.title = 'Merge two records – Kith';
  }, []);
  const choose = (r: SearchResult, side: Side) => {
    setPair(undefined);
    const other: Side = side === 'survivor' ? 'merged' : 'survivor';
    setIds({ ...ids, [side]: r.child_id, [other]: ids[other] === r.child_id ? undefined : ids[other] });
  };
  const compare = async () => {
    if (!reasonPasses()) return;
    setBusy(true);
    try {
      const look = (id: string) => api.post('/api/v1/children/{child_id}/signposting', { child_id: id }, { reason: reason.trim() });
      setPair([await look(ids.survivor!), await look(ids.merged!)]);
    } catch (err) {
      looking.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const merge = async (e: Event) => {
    e.preventDefault();
    if (!ids.survivor || !ids.merged) return;
    if (!merging.passes(check([['merge-reason', reasonProblem(mergeReason, 'Enter why these are the same child')]]))) return;
    setBusy(true);
    try {
      const m = await api.post('/api/v1/index/merges', { survivor_id: ids.survivor, merged_id: ids.merged, reason: mergeReason.trim() });
      navigate('merges', m.id);
    } catch (err) {
      // The API names the merge's reason "reason"; on this page that is the field "merge-reason".
      merging.fail(err, { reason: 'merge-reason' });
      setBusy(false);
    }
  };
  return (
    <>
      <h1 class="govuk-heading-l">Merge two records</h1>
      <p class="govuk-body">
        When two records in the index are the same child, merge the duplicate into the record to keep. The duplicate's source
        records move to the record kept and the duplicate disappears from search. Nothing else changes, so a merge can be
        undone from its page. A record with a team, chronology, forum or relationships cannot be merged away: keep that one.
      </p>
      <FormErrors error={looking.error} errors={looking.errors} idPrefix="mg">
        <TextArea id="mg-reason" label="Why are you working on these records?" hint="For example: duplicate reported by the school. At least 10 characters; recorded with every search and look." value={reason} onInput={setReason} rows={2} maxLength={500} />
      </FormErrors>
      <h2 class="govuk-heading-m">1. Choose the two records</h2>
      <ChildSearch reason={reason} reasonPasses={reasonPasses} onChoose={choose} chosen={ids} />
      <dl class="govuk-summary-list" data-testid="merge-chosen">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Record to keep</dt>
          <dd class="govuk-summary-list__value">{ids.survivor ? `Kith ID ${ids.survivor}` : 'Not chosen yet'}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Duplicate to merge away</dt>
          <dd class="govuk-summary-list__value">{ids.merged ? `Kith ID ${ids.merged}` : 'Not chosen yet'}</dd>
        </div>
      </dl>
      {ids.survivor && ids.merged && (
        <div class="govuk-button-group">
          <Button type="button" busy={busy} onClick={compare} testid="merge-compare">Compare the two records</Button>
          <Button
            type="button"
            secondary
            onClick={() => {
              setPair(undefined);
              setIds({ survivor: ids.merged, merged: ids.survivor });
            }}
            testid="merge-swap"
          >
            Swap: keep the other one
          </Button>
        </div>
      )}
      {pair && (
        <>
          <h2 class="govuk-heading-m">2. Compare them</h2>
          <SideBySide a={pair[0]} b={pair[1]} />
          <h2 class="govuk-heading-m">3. Merge</h2>
          <form noValidate onSubmit={merge} data-testid="merge-form">
            <FormErrors error={merging.error} errors={merging.errors} idPrefix="mg">
              <TextArea id="mg-merge-reason" label="Why are these the same child?" hint="What you checked, for the audit trail (at least 10 characters)." value={mergeReason} onInput={setMergeReason} rows={3} maxLength={500} />
            </FormErrors>
            <Button busy={busy} warning testid="merge-submit">Merge the duplicate into the record to keep</Button>
          </form>
        </>
      )}
      <h2 class="govuk-heading-m">Open a merge</h2>
      <form
        noValidate
        class="govuk-!-margin-bottom-6"
        onSubmit={(e) => {
          e.preventDefault();
          if (openId.trim()) navigate('merges', openId.trim());
        }}
      >
        <TextField id="mg-open" label="Merge ID" hint="From the merge's page or a child's audit trail, for example M0123456789ABCDEF." value={openId} onInput={setOpenId} width="20" maxLength={64} />
        <Button secondary testid="merge-open">Open</Button>
      </form>
    </>
  );
}

/** One merge: what was merged, who did it and why, its un-merge, and the action to undo it. */
export function MergePage({ id }: { id: string }) {
  const merge = useAsync(() => api.get<ChildMerge>(`/api/v1/index/merges/${seg(id)}`), [id]);
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const [undone, setUndone] = useState(false);
  useEffect(() => {
    document.title = 'A merge – Kith';
  }, []);
  return (
    <>
      <a class="govuk-back-link" href={href('merges')}>Merge two records</a>
      <h1 class="govuk-heading-l">A merge of two records</h1>
      <p class="kith-meta">Merge ID {id}</p>
      {undone && <Success>The merge is undone: the duplicate record is back as it was.</Success>}
      <Loaded state={merge} what="The merge">
        {(m) => (
          <>
            <dl class="govuk-summary-list" data-testid="merge-detail">
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Record kept</dt>
                <dd class="govuk-summary-list__value">Kith ID {m.survivor_id}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Duplicate merged away</dt>
                <dd class="govuk-summary-list__value">Kith ID {m.merged_id}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Source records moved</dt>
                <dd class="govuk-summary-list__value">{m.moved_source_records.length}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Status</dt>
                <dd class="govuk-summary-list__value">
                  {m.unmerged_at ? <strong class="govuk-tag govuk-tag--grey">Undone</strong> : <strong class="govuk-tag govuk-tag--blue">Merged</strong>}
                </dd>
              </div>
            </dl>
            <h2 class="govuk-heading-m">History</h2>
            <ol class="govuk-list govuk-list--number" data-testid="merge-history">
              <li>
                Merged {formatDateTime(m.merged_at)} by {m.merged_by}: “{m.reason}”
              </li>
              {m.unmerged_at && (
                <li>
                  Un-merged {formatDateTime(m.unmerged_at)} by {m.unmerged_by}: “{m.unmerge_reason}”
                </li>
              )}
            </ol>
            {!m.unmerged_at && (
              <form
                noValidate
                data-testid="unmerge-form"
                onSubmit={async (e) => {
                  e.preventDefault();
                  if (!problems.passes(check([['reason', reasonProblem(reason, 'Enter why you are undoing the merge')]]))) return;
                  setBusy(true);
                  try {
                    merge.set(await api.post('/api/v1/index/merges/{merge_id}/undo', { merge_id: m.id }, { reason: reason.trim() }));
                    setUndone(true);
                  } catch (err) {
                    problems.fail(err);
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                <h2 class="govuk-heading-m">Undo this merge</h2>
                <FormErrors error={problems.error} errors={problems.errors} idPrefix="um">
                  <TextArea id="um-reason" label="Why undo it?" hint="For example: these are twins. At least 10 characters; recorded on both children's audit trails." value={reason} onInput={setReason} rows={3} maxLength={500} />
                </FormErrors>
                <Button warning busy={busy} testid="unmerge-submit">Undo the merge</Button>
              </form>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
