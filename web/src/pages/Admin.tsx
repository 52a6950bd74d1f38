// Local-authority administration: users (create, change role/agency, disable, unlock, reset the
// second factor, grant or take away the index steward permission) and agencies. Administrators
// see no case content.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import { useSession } from '../session';
import type { Agency, User } from '../types';
import { AGENCY_KINDS, formatDateTime, roleLabel, ROLES } from '../format';
import { Button, Checkbox, FormErrors, check, useProblems, Loaded, SelectField, Success, TextField, useAsync, TableWrap } from '../components/ui';

function useAgencies() {
  return useAsync(() => api.get<{ agencies: Agency[] }>('/api/v1/agencies'), []);
}

function NewUser({ agencies, onCreated }: { agencies: Agency[]; onCreated: (u: User) => void }) {
  const { session } = useSession();
  const blank = { username: '', display_name: '', job_title: '', email: '', phone: '', role: 'practitioner', agency_id: '', password: '' };
  const [f, setF] = useState(blank);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof blank) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      noValidate
      data-testid="new-user-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['display_name', !f.display_name.trim() && 'Enter the person\'s full name'],
          ['username', !f.username.trim() && 'Enter a username'],
          ['agency_id', !f.agency_id && 'Choose the person\'s agency'],
          ['password', (!f.password && 'Enter a first password') || (f.password.length < 12 && 'The first password must be at least 12 characters')],
        ]))) return;
        setBusy(true);
        try {
          const u = await api.post('/api/v1/users', { ...f, role: f.role as Body<'/api/v1/users', 'post'>['role'], authority_id: session.user.authority_id });
          setF(blank);
          onCreated(u);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="nu">
      <TextField id="nu-display_name" label="Full name" value={f.display_name} onInput={set('display_name')} required />
      <TextField id="nu-username" label="Username" hint="For example: sw.jones" value={f.username} onInput={set('username')} spellcheck={false} required width="20" />
      <TextField id="nu-job_title" label="Job title" value={f.job_title} onInput={set('job_title')} />
      <TextField id="nu-email" label="Work email" type="email" value={f.email} onInput={set('email')} />
      <TextField id="nu-phone" label="Work phone" type="tel" value={f.phone} onInput={set('phone')} width="20" />
      <SelectField id="nu-role" label="Role" value={f.role} onInput={set('role')} options={ROLES} />
      <SelectField id="nu-agency_id" label="Agency" value={f.agency_id} onInput={set('agency_id')} options={agencies.map((a) => [a.id, a.name])} emptyLabel="Choose an agency" />
      <TextField id="nu-password" label="First password" hint="At least 12 characters. Tell the user separately; they change it when they first sign in." type="password" value={f.password} onInput={set('password')} autocomplete="new-password" required width="20" />
      <Button busy={busy} testid="create-user">Create user</Button>
    </FormErrors>
</form>
  );
}

function EditUser({ user, agencies, onSaved, onCancel }: { user: User; agencies: Agency[]; onSaved: (u: User, msg: string) => void; onCancel: () => void }) {
  const [role, setRole] = useState<string>(user.role);
  const [agency, setAgency] = useState(user.agency_id);
  const [active, setActive] = useState(user.active);
  const [unlock, setUnlock] = useState(false);
  const [reset, setReset] = useState(false);
  const [steward, setSteward] = useState(user.index_steward);
  const [governance, setGovernance] = useState(user.information_governance);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="edit-user-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const body: Body<'/api/v1/users/{user_id}', 'patch'> = { version: user.version };
        if (role !== user.role) body.role = role as User['role'];
        if (agency !== user.agency_id) body.agency_id = agency;
        if (active !== user.active) body.active = active;
        if (unlock) body.unlock = true;
        if (reset) body.reset_second_factor = true;
        if (steward !== user.index_steward) body.index_steward = steward;
        if (governance !== user.information_governance) body.information_governance = governance;
        try {
          onSaved(await api.patch('/api/v1/users/{user_id}', { user_id: user.id }, body), `${user.display_name}'s account was updated.`);
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <h3 class="govuk-heading-m">Change {user.display_name}</h3>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="eu">
      <SelectField id="eu-role" label="Role" value={role} onInput={setRole} options={ROLES} />
      <SelectField id="eu-agency_id" label="Agency" value={agency} onInput={setAgency} options={agencies.map((a) => [a.id, a.name])} emptyLabel="No agency" />
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Account</legend>
          <div class="govuk-checkboxes govuk-checkboxes--small">
            <Checkbox id="eu-active" label="Account is active" checked={active} onChange={setActive} />
            {user.locked_until && <Checkbox id="eu-unlock" label="Unlock the account" checked={unlock} onChange={setUnlock} />}
            {user.second_factor_enrolled && (
              <Checkbox id="eu-reset" label="Reset the second factor" hint="They set up their authenticator again when they next sign in." checked={reset} onChange={setReset} />
            )}
          </div>
        </fieldset>
      </div>
      {(role === 'practitioner' || role === 'manager') && (
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">National child index</legend>
            <div class="govuk-checkboxes govuk-checkboxes--small">
              <Checkbox
                id="eu-steward"
                label="Index steward"
                hint="Imports source feeds (school rolls, GP lists), decides the index's clerical review and merges or un-merges duplicate children of your authority. Managers decide reviews without it."
                checked={steward}
                onChange={setSteward}
              />
            </div>
          </fieldset>
        </div>
      )}
      {role !== 'authority_admin' && role !== 'national_admin' && (
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Information governance</legend>
            <div class="govuk-checkboxes govuk-checkboxes--small">
              <Checkbox
                id="eu-governance"
                label="Answers subject-access requests"
                hint="Exports everything held about a child of your authority for a subject-access request; the child's lead professional is told each time. Administrators can never hold this."
                checked={governance}
                onChange={setGovernance}
              />
            </div>
          </fieldset>
        </div>
      )}
      <p class="govuk-body kith-meta">
        Changes to someone's role, password, second factor or permissions are recorded and sent to them and to the other
        administrators and auditors of your authority. Nobody changes their own role or permissions.
      </p>
      <div class="govuk-button-group">
        <Button busy={busy} testid="save-user">Save changes</Button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </FormErrors>
</form>
  );
}

/**
 * Where a practitioner lives and other surnames they declared, for the misuse report only (it
 * flags looking at children who share the address, postcode or a surname: docs/misuse-report.md).
 * Kept apart from the account and never shown again, so the form starts empty and replaces what
 * is recorded.
 */
function HomeForm({ user, onSaved, onCancel }: { user: User; onSaved: (msg: string) => void; onCancel: () => void }) {
  const [f, setF] = useState({ address: '', postcode: '', other_surnames: '' });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      noValidate
      data-testid="home-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const other_surnames = f.other_surnames.split(',').map((n) => n.trim()).filter(Boolean);
        if (!problems.passes(check([
          ['other_surnames', other_surnames.length > 10 && 'Enter at most 10 other surnames'],
        ]))) return;
        setBusy(true);
        try {
          await api.put('/api/v1/users/{user_id}/home', { user_id: user.id }, { address: f.address.trim(), postcode: f.postcode.trim(), other_surnames });
          onSaved(f.address.trim() || f.postcode.trim() || other_surnames.length
            ? `${user.display_name}'s home is recorded for the misuse report.`
            : `Nothing is recorded about ${user.display_name}'s home now.`);
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <h3 class="govuk-heading-m">Record {user.display_name}'s home</h3>
      <p class="govuk-body">
        The misuse report flags anyone who looks at a child living at their address or postcode, or sharing a surname
        they have declared. Only the report reads this: it is not shown again, and what you save replaces what was
        recorded before (save it empty to remove it).
      </p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="hm">
      <TextField id="hm-address" label="Home address" value={f.address} onInput={set('address')} />
      <TextField id="hm-postcode" label="Postcode" value={f.postcode} onInput={set('postcode')} width="10" />
      <TextField id="hm-other_surnames" label="Other surnames (optional)" hint="Surnames of family members or earlier names, separated by commas." value={f.other_surnames} onInput={set('other_surnames')} />
      <div class="govuk-button-group">
        <Button busy={busy} testid="save-home">Record home</Button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </FormErrors>
    </form>
  );
}

export function AdminUsers() {
  useEffect(() => {
    document.title = 'Users – Kith';
  }, []);
  const users = useAsync(() => api.get<{ users: User[] }>('/api/v1/users'), []);
  const agencies = useAgencies();
  const [editing, setEditing] = useState<User>();
  const [home, setHome] = useState<User>();
  const [message, setMessage] = useState('');
  const [adding, setAdding] = useState(false);
  const agencyName = (id: string) => agencies.data?.agencies.find((a) => a.id === id)?.name ?? id;
  return (
    <>
      <h1 class="govuk-heading-l">Users</h1>
      {message && <Success>{message}</Success>}
      <div class="kith-inline-actions govuk-!-margin-bottom-4">
        {!adding && (
          <button type="button" class="govuk-button govuk-!-margin-bottom-0" onClick={() => setAdding(true)} data-testid="add-user">
            Add a user
          </button>
        )}
      </div>
      {adding && agencies.data && (
        <section class="kith-card" aria-labelledby="nu-h">
          <h2 class="govuk-heading-m" id="nu-h">Add a user</h2>
          <NewUser
            agencies={agencies.data.agencies}
            onCreated={(u) => {
              setAdding(false);
              setMessage(`${u.display_name} can now sign in as ${u.username}.`);
              users.reload();
            }}
          />
        </section>
      )}
      {editing && agencies.data && (
        <section class="kith-card" aria-label={`Change ${editing.display_name}`}>
          <EditUser
            key={editing.id}
            user={editing}
            agencies={agencies.data.agencies}
            onCancel={() => setEditing(undefined)}
            onSaved={(_, msg) => {
              setEditing(undefined);
              setMessage(msg);
              users.reload();
            }}
          />
        </section>
      )}
      {home && (
        <section class="kith-card" aria-label={`Record ${home.display_name}'s home`}>
          <HomeForm
            key={home.id}
            user={home}
            onCancel={() => setHome(undefined)}
            onSaved={(msg) => {
              setHome(undefined);
              setMessage(msg);
            }}
          />
        </section>
      )}
      <Loaded state={users} what="Users">
        {(d) => (
          <TableWrap label="Users">
            <table class="govuk-table kith-table--stack" data-testid="users-table">
              <caption class="govuk-table__caption govuk-table__caption--m">{d.users.length} users in your authority</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Name</th>
                  <th scope="col" class="govuk-table__header">Role and agency</th>
                  <th scope="col" class="govuk-table__header">Status</th>
                  <th scope="col" class="govuk-table__header">Last sign-in</th>
                  <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {d.users.map((u) => (
                  <tr class="govuk-table__row" key={u.id}>
                    <td class="govuk-table__cell">
                      <strong>{u.display_name}</strong>
                      <br />
                      <span class="kith-meta">{u.username}</span>
                    </td>
                    <td class="govuk-table__cell">
                      {roleLabel(u.role)}
                      <br />
                      <span class="kith-meta">{agencyName(u.agency_id)}</span>
                    </td>
                    <td class="govuk-table__cell">
                      <div class="kith-tags">
                        {u.active ? <strong class="govuk-tag govuk-tag--green">Active</strong> : <strong class="govuk-tag govuk-tag--grey">Disabled</strong>}
                        {u.locked_until && <strong class="govuk-tag govuk-tag--red">Locked</strong>}
                        {u.second_factor_enrolled ? <strong class="govuk-tag govuk-tag--blue">Second factor set up</strong> : null}
                        {u.index_steward ? <strong class="govuk-tag govuk-tag--purple">Index steward</strong> : null}
                        {u.information_governance ? <strong class="govuk-tag govuk-tag--turquoise">Information governance</strong> : null}
                      </div>
                    </td>
                    <td class="govuk-table__cell">{u.last_login_at ? formatDateTime(u.last_login_at) : 'Never'}</td>
                    <td class="govuk-table__cell">
                      <button type="button" class="kith-link-button" onClick={() => { setEditing(u); setHome(undefined); setMessage(''); window.scrollTo(0, 0); }}>
                        Change<span class="govuk-visually-hidden"> {u.display_name}</span>
                      </button>
                      {(u.role === 'practitioner' || u.role === 'manager') && (
                        <>
                          <br />
                          <button type="button" class="kith-link-button" data-testid="record-home" onClick={() => { setHome(u); setEditing(undefined); setMessage(''); window.scrollTo(0, 0); }}>
                            Home<span class="govuk-visually-hidden"> of {u.display_name}, for the misuse report</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Loaded>
    </>
  );
}

function AgencyForm({ agency, onSaved, onCancel }: { agency?: Agency; onSaved: (a: Agency) => void; onCancel: () => void }) {
  const { session } = useSession();
  const [f, setF] = useState({
    name: agency?.name ?? '',
    kind: agency?.kind ?? 'school',
    phone: agency?.phone ?? '',
    email: agency?.email ?? '',
    address: agency?.address ?? '',
  });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['name', !f.name.trim() && 'Enter the name of the agency']]))) return;
        setBusy(true);
        const body = { ...f, authority_id: agency?.authority_id ?? session.user.authority_id };
        try {
          onSaved(agency ? await api.put('/api/v1/agencies/{agency_id}', { agency_id: agency.id }, body) : await api.post('/api/v1/agencies', body));
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="ag">
      <TextField id="ag-name" label="Name" value={f.name} onInput={set('name')} required />
      <SelectField id="ag-kind" label="Kind of agency" value={f.kind} onInput={set('kind')} options={AGENCY_KINDS} />
      <TextField id="ag-phone" label="Safeguarding phone" type="tel" value={f.phone} onInput={set('phone')} width="20" />
      <TextField id="ag-email" label="Safeguarding email" type="email" value={f.email} onInput={set('email')} />
      <TextField id="ag-address" label="Address" value={f.address} onInput={set('address')} />
      <div class="govuk-button-group">
        <Button busy={busy}>{agency ? 'Save changes' : 'Add agency'}</Button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </FormErrors>
</form>
  );
}

export function AdminAgencies() {
  useEffect(() => {
    document.title = 'Agencies – Kith';
  }, []);
  const agencies = useAgencies();
  const [editing, setEditing] = useState<Agency | 'new'>();
  const [message, setMessage] = useState('');
  return (
    <>
      <h1 class="govuk-heading-l">Agencies</h1>
      {message && <Success>{message}</Success>}
      {!editing && (
        <button type="button" class="govuk-button" onClick={() => { setEditing('new'); setMessage(''); }}>
          Add an agency
        </button>
      )}
      {editing && (
        <section class="kith-card" aria-labelledby="ag-h">
          <h2 class="govuk-heading-m" id="ag-h">{editing === 'new' ? 'Add an agency' : `Change ${editing.name}`}</h2>
          <AgencyForm
            key={editing === 'new' ? 'new' : editing.id}
            agency={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(undefined)}
            onSaved={(a) => {
              setEditing(undefined);
              setMessage(`${a.name} was saved.`);
              agencies.reload();
            }}
          />
        </section>
      )}
      <Loaded state={agencies} what="Agencies">
        {(d) => (
          <TableWrap label="Agencies">
            <table class="govuk-table kith-table--stack" data-testid="agencies-table">
              <caption class="govuk-table__caption govuk-table__caption--m">{d.agencies.length} agencies</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Agency</th>
                  <th scope="col" class="govuk-table__header">Kind</th>
                  <th scope="col" class="govuk-table__header">Contact</th>
                  <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {d.agencies.map((a) => (
                  <tr class="govuk-table__row" key={a.id}>
                    <td class="govuk-table__cell"><strong>{a.name}</strong></td>
                    <td class="govuk-table__cell">{a.kind_name}</td>
                    <td class="govuk-table__cell">
                      {a.phone}
                      <br />
                      <span class="kith-meta">{a.email}</span>
                    </td>
                    <td class="govuk-table__cell">
                      <button type="button" class="kith-link-button" onClick={() => { setEditing(a); setMessage(''); window.scrollTo(0, 0); }}>
                        Change<span class="govuk-visually-hidden"> {a.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Loaded>
    </>
  );
}
