// The family portal: redeeming an invitation (before signing in), and the family member's home —
// their children, the team around each (with how to reach them), what the team shares with the
// family, and adding their own view. Live updates reload the page when something shared changes.
import { useEffect, useState } from 'preact/hooks';
import { api, seg, type Body } from '../api';
import { live } from '../live';
import { href } from '../router';
import type { FamilyChild, FamilyChildSummary, FamilyEntry } from '../types';
import { entryTypeLabel, formatDate, formatDateTime } from '../format';
import { FamilyEarlyHelp } from './FamilyEarlyHelp';
import { Button, check, DateField, dateProblem, FormErrors, Loaded, SelectField, Success, TextArea, TextField, useAsync, useProblems } from '../components/ui';

const KINDS: [string, string][] = [
  ['thoughts', 'My thoughts and feelings'],
  ['response', 'A response to an entry'],
  ['disagreement', 'I disagree with an entry, and here is why'],
];
// What the family member added, as listed back to them: a view on the early help assessment is
// named as one, not as a response to an entry.
const ASSESSMENT_KINDS: Record<string, string> = {
  response: 'My view on the early help assessment',
  disagreement: 'I disagree with part of the early help assessment',
};
const addedLabel = (e: FamilyEntry) =>
  (e.about_kind === 'assessment' ? ASSESSMENT_KINDS[e.kind] : undefined) ?? KINDS.find(([k]) => k === e.kind)?.[1];

export function Redeem() {
  const [f, setF] = useState({ code: '', child_date_of_birth: '', postcode: '', display_name: '', username: '', password: '' });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  useEffect(() => {
    document.title = 'Use an invitation code – Kith';
  }, []);
  if (done) {
    return (
      <>
        <h1 class="govuk-heading-l">Your account is ready</h1>
        <Success>{done}</Success>
        <p class="govuk-body">
          <a class="govuk-link" href={href()} data-testid="go-sign-in">Sign in</a> with your username and password. We
          recommend adding a second factor (an authenticator app) when you first sign in.
        </p>
      </>
    );
  }
  return (
    <>
      <h1 class="govuk-heading-l">Use an invitation code</h1>
      <p class="govuk-body">
        Someone from the team around your child gave you a code. To check it is you, we also ask for your child's date of
        birth and postcode.
      </p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="redeem">
      <form
        noValidate
        data-testid="redeem-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = problems.passes(check([
            ['code', !f.code.trim() && 'Enter the invitation code the team gave you'],
            ['child_date_of_birth', dateProblem(f.child_date_of_birth, "your child's date of birth", { required: true, notFuture: true })],
            ['postcode', !f.postcode.trim() && "Enter your child's postcode"],
            ['display_name', !f.display_name.trim() && 'Enter your name'],
            ['username', !f.username.trim() && 'Choose a username'],
            ['password', (!f.password && 'Choose a password') || (f.password.length < 12 && 'Your password must be at least 12 characters')],
          ]));
          if (!ok) return;
          setBusy(true);
          try {
            const made = await api.post('/api/v1/family/redeem', { ...f, code: f.code.trim(), postcode: f.postcode.trim(), display_name: f.display_name.trim() }, { quiet401: true });
            setDone(`Your username is ${made.username}.`);
          } catch (err) {
            problems.fail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextField id="redeem-code" label="Invitation code" hint="For example ABCD-EFGH-JKMN" value={f.code} onInput={set('code')} maxLength={20} required />
        <DateField id="redeem-child_date_of_birth" label="Your child's date of birth" hint="For example, 14 3 2019" value={f.child_date_of_birth} onInput={set('child_date_of_birth')} />
        <TextField id="redeem-postcode" label="Your child's postcode" value={f.postcode} onInput={set('postcode')} maxLength={10} required />
        <TextField id="redeem-display_name" label="Your name" value={f.display_name} onInput={set('display_name')} maxLength={200} required />
        <TextField id="redeem-username" label="Choose a username" hint="Lower-case letters, digits, dots or dashes, starting with a letter." value={f.username} onInput={set('username')} maxLength={64} required />
        <TextField id="redeem-password" label="Choose a password" hint="At least 12 characters; a few unrelated words work well." type="password" value={f.password} onInput={set('password')} maxLength={128} required />
        <Button busy={busy} testid="redeem">Create my account</Button>
      </form>
      </FormErrors>
      <p class="govuk-body">
        <a class="govuk-link" href={href()}>I already have an account</a>
      </p>
    </>
  );
}

function AddView({ child, onAdded }: { child: FamilyChild; onAdded: (e: FamilyEntry) => void }) {
  const [kind, setKind] = useState('thoughts');
  const [about, setAbout] = useState('');
  const [text, setText] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <section class="kith-card" aria-labelledby="add-view-h">
      <h2 class="govuk-heading-m" id="add-view-h">Add your view</h2>
      <p class="govuk-body">The team around {child.child.name} sees what you write. Nobody can change it.</p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="view">
      <form
        noValidate
        data-testid="view-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = problems.passes(check([
            ['about_entry_id', kind !== 'thoughts' && !about && 'Choose the entry your words are about'],
            ['text', !text.trim() && 'Write what you want the team to know'],
          ]));
          if (!ok) return;
          setBusy(true);
          try {
            const body: Body<'/api/v1/family/children/{child_id}/entries', 'post'> = { kind: kind as 'thoughts' | 'response' | 'disagreement', text: text.trim() };
            if (kind !== 'thoughts') body.about_entry_id = about;
            onAdded(await api.post('/api/v1/family/children/{child_id}/entries', { child_id: child.child.child_id }, body));
            setText('');
            setAbout('');
          } catch (err) {
            problems.fail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <SelectField id="view-kind" label="What would you like to add?" value={kind} onInput={setKind} options={KINDS} />
        {kind !== 'thoughts' && (
          <SelectField
            id="view-about_entry_id"
            label="Which entry is it about?"
            value={about}
            onInput={setAbout}
            options={child.entries.map((e) => [e.id, `${formatDate(e.occurred_on)}: ${e.summary}`])}
            emptyLabel="Choose an entry"
            required
          />
        )}
        <TextArea id="view-text" label="Your words" value={text} onInput={setText} rows={5} maxLength={10000} required />
        <Button busy={busy} testid="add-view">Send to the team</Button>
      </form>
      </FormErrors>
    </section>
  );
}

function Team({ c }: { c: FamilyChild }) {
  return (
    <section class="kith-card" aria-labelledby="team-h">
      <h2 class="govuk-heading-m" id="team-h">The team around {c.child.name}</h2>
      {c.team.length === 0 ? (
        <p class="govuk-body" data-testid="family-team-contact">
          {c.contact_through ? `${c.contact_through}. They will pass your message to the team.` : 'Nobody is on the team yet.'}
        </p>
      ) : (
        <dl class="govuk-summary-list" data-testid="family-team">
          {c.team.map((m) => (
            <div class="govuk-summary-list__row" key={`${m.name}-${m.role}`}>
              <dt class="govuk-summary-list__key">
                {m.name}
                <span class="govuk-body-s govuk-!-display-block govuk-!-font-weight-regular">{m.role}</span>
                {m.lead && <strong class="govuk-tag govuk-tag--blue govuk-!-margin-top-1">Your main contact</strong>}
              </dt>
              <dd class="govuk-summary-list__value">
                <span class="govuk-!-display-block">{m.agency_name}</span>
                {m.agency_phone && <span class="govuk-!-display-block">Phone: {m.agency_phone}</span>}
                {m.agency_email && <span class="govuk-!-display-block">Email: <a class="govuk-link" href={`mailto:${m.agency_email}`}>{m.agency_email}</a></span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function ChildView({ summary }: { summary: FamilyChildSummary }) {
  const page = useAsync(() => api.get<FamilyChild>(`/api/v1/family/children/${seg(summary.child_id)}`), [summary.child_id]);
  const [added, setAdded] = useState('');
  useEffect(
    () =>
      live.subscribe((m) => {
        if (m.type === 'child_updated' && m.child_id === summary.child_id) page.reload();
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [summary.child_id],
  );
  return (
    <Loaded state={page} what={`${summary.name}'s page`}>
      {(c) => (
        <>
          {added && <Success>{added}</Success>}
          <section class="kith-card" aria-labelledby="mine-h">
            <h2 class="govuk-heading-m" id="mine-h">What you have told the team</h2>
            {c.my_entries.length === 0 ? (
              <p class="govuk-body">You have not added anything yet. The team reads what you add, and nobody can change it.</p>
            ) : (
              <ul class="kith-entries" data-testid="my-entries">
                {c.my_entries.map((e) => (
                  <li class="kith-entry kith-entry--family" key={e.id}>
                    <p class="govuk-body-s govuk-!-margin-bottom-1"><strong>{addedLabel(e)}</strong>, {formatDateTime(e.created_at)}</p>
                    <p class="kith-entry__detail">{e.text}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <AddView child={c} onAdded={() => { setAdded('Thank you. The team can now read what you wrote.'); page.reload(); }} />
          <section class="kith-card" aria-labelledby="entries-h">
            <h2 class="govuk-heading-m" id="entries-h">What the team has shared with you</h2>
            <div aria-live="polite">
              {c.entries.length === 0 ? (
                <p class="govuk-body">Nothing has been shared with you yet.</p>
              ) : (
                <ul class="kith-entries" data-testid="family-entries">
                  {c.entries.map((e) => (
                    <li class={`kith-entry kith-entry--${e.significance}`} key={e.id} data-testid="family-entry">
                      <p class="govuk-body-s govuk-!-margin-bottom-1">
                        <strong>{formatDate(e.occurred_on)}</strong>, {entryTypeLabel(e.type).toLowerCase()}, by {e.agency_name}
                      </p>
                      <p class="kith-entry__summary">{e.summary}</p>
                      {e.detail && <p class="kith-entry__detail">{e.detail}</p>}
                      <p class="kith-meta">Written by {e.author_name}{e.corrected ? '. It has been corrected since.' : ''}</p>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </section>
          <FamilyEarlyHelp childId={c.child.child_id} assessments={c.early_help} onAdded={() => { setAdded('Thank you. The team can now read your view on the assessment.'); page.reload(); }} />
          {c.threads.length > 0 && (
            <section class="kith-card" aria-labelledby="threads-h">
              <h2 class="govuk-heading-m" id="threads-h">Discussions shared with you</h2>
              {c.threads.map((t) => (
                <div key={t.id}>
                  <h3 class="govuk-heading-s">{t.title}</h3>
                  {t.posts.map((p) => (
                    <div class="kith-entry" key={p.id}>
                      <p class="govuk-body-s govuk-!-margin-bottom-1"><strong>{p.author_name}</strong>, {formatDateTime(p.created_at)}</p>
                      <p class="kith-entry__detail">{p.body}</p>
                    </div>
                  ))}
                </div>
              ))}
            </section>
          )}
          <Team c={c} />
        </>
      )}
    </Loaded>
  );
}

export function FamilyHome() {
  const children = useAsync(() => api.get<{ children: FamilyChildSummary[] }>('/api/v1/family/children'), []);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    document.title = 'Your family – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Your family's record</h1>
      <p class="govuk-body">
        This is what the people working with your family have recorded and shared with you. Some things may be kept back
        to keep someone safe; you can ask the local authority about them.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/api/v1/family/export?format=html" target="_blank" rel="noopener">Get a copy of everything you can see, to print or save (opens in a new tab)</a>
      </p>
      <Loaded state={children} what="Your children">
        {(d) => {
          if (d.children.length === 0) return <p class="govuk-body">Your account is not linked to a child yet.</p>;
          const current = d.children.find((k) => k.child_id === chosen) ?? d.children[0];
          return (
            <>
              {d.children.length > 1 && (
                <SelectField id="family-child" label="Child" value={current.child_id} onInput={setChosen} options={d.children.map((k) => [k.child_id, k.name])} />
              )}
              <h2 class="govuk-heading-l" data-testid="family-child-name">{current.name}</h2>
              <ChildView summary={current} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}
