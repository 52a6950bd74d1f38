// Overview: identity, flags, carers, services and the lead professional.
import type { TabProps } from '../pages/Child';
import type { Agency, Child, Member } from '../types';
import { formatDate, humanise } from '../format';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useSession } from '../session';
import { Button, FormError, Success, TableWrap, useProblems } from '../components/ui';
import { EditRecord } from '../pages/ChildRecord';

function Row({ k, children }: { k: string; children: preact.ComponentChildren }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{k}</dt>
      <dd class="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export function LeadCard({ lead }: { lead: Member | undefined }) {
  return (
    <section class="kith-card" aria-labelledby="lead-h">
      <h3 class="govuk-heading-m" id="lead-h">
        Lead professional
      </h3>
      {lead ? (
        <p class="govuk-body" data-testid="lead">
          <strong>{lead.display_name}</strong>
          <br />
          {lead.role}
          {lead.agency && <>, {lead.agency.name}</>}
          <br />
          {lead.phone && <>Phone: {lead.phone}<br /></>}
          {lead.email && <>Email: {lead.email}</>}
        </p>
      ) : (
        <p class="govuk-body">No lead professional. Any team member can take the role from the Team tab.</p>
      )}
    </section>
  );
}

/**
 * Agencies a team member named as involved who does not decide who joins: their staff ask to join
 * like anyone else until the lead professional (without one, the duty team) confirms them by
 * sending the record's involvement back (docs/access.md, "Joining is a request").
 */
function UnconfirmedAgencies({ child, names, mayConfirm, onConfirmed }: { child: Child; names: string[]; mayConfirm: boolean; onConfirmed: () => void }) {
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <div class="govuk-inset-text" data-testid="unconfirmed-agencies">
      <FormError error={problems.error} idPrefix="uc" />
      <p class="govuk-body">
        Not yet confirmed as involved: <strong>{names.join(', ')}</strong>. A team member of another agency named{' '}
        {names.length === 1 ? 'it' : 'them'}, so {names.length === 1 ? 'its' : 'their'} staff ask to join the team and wait for a decision.
      </p>
      {mayConfirm ? (
        <Button
          type="button"
          secondary
          busy={busy}
          testid="confirm-agencies"
          onClick={async () => {
            setBusy(true);
            try {
              await api.put('/api/v1/children/{child_id}', { child_id: child.id }, {
                version: child.version, school_agency_id: child.school_agency_id, gp_agency_id: child.gp_agency_id, services: child.services,
              });
              onConfirmed();
            } catch (err) {
              problems.fail(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          Confirm these agencies are involved
        </Button>
      ) : (
        <p class="govuk-body kith-meta">The lead professional confirms them (without one, the children's social care duty team).</p>
      )}
    </div>
  );
}

export function Overview({ account, reloadAccount }: TabProps) {
  const { session } = useSession();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const [confirmed, setConfirmed] = useState('');
  const onTeam = account.team.some((m) => m.user_id === session.user.id);
  const c = account.child;
  const agencies = new Map<string, Agency>(account.agencies.map((a) => [a.id, a]));
  const name = (id: string) => agencies.get(id)?.name ?? (id ? id : 'None');
  const lead = account.team.find((m) => m.lead);
  const unconfirmed = new Set(c.unconfirmed_agencies);
  const Unconfirmed = ({ id }: { id: string }) =>
    unconfirmed.has(id) ? <strong class="govuk-tag govuk-tag--yellow" data-testid="unconfirmed">Not confirmed</strong> : null;
  // The server decides; the button is offered to whoever it would allow: the lead, or anyone on
  // a team without one (the duty team's staff are confirmed by the server, others are told).
  const mayConfirm = onTeam && (!lead || lead.user_id === session.user.id);
  return (
    <div class="kith-grid">
      <div>
        <section class="kith-card" aria-labelledby="identity-h">
          <h3 class="govuk-heading-m" id="identity-h">
            Identity
          </h3>
          {saved && <Success>{saved}</Success>}
          {editing ? (
            <EditRecord child={c} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); setSaved('The record was saved.'); reloadAccount(); }} />
          ) : (
          <>
          <dl class="govuk-summary-list" data-testid="identity">
            <Row k="Name">
              {c.given_names} {c.family_name}
            </Row>
            {c.other_names.length > 0 && <Row k="Other names">{c.other_names.join(', ')}</Row>}
            <Row k="Date of birth">{formatDate(c.date_of_birth)}</Row>
            {c.date_of_death && <Row k="Date of death">{formatDate(c.date_of_death)}</Row>}
            <Row k="Sex">{humanise(c.sex)}</Row>
            <Row k="Address">
              {c.shielded && !c.address ? 'Hidden (shielded record)' : [c.address, c.postcode].filter(Boolean).join(', ') || 'Not known'}
            </Row>
            <Row k="NHS number">{c.nhs_number || 'Not known'}</Row>
            <Row k="Unique Pupil Number">{c.upn || 'Not known'}</Row>
            <Row k="School">{c.school_agency_id ? <>{name(c.school_agency_id)} <Unconfirmed id={c.school_agency_id} /></> : 'None recorded'}</Row>
            <Row k="GP">{c.gp_agency_id ? <>{name(c.gp_agency_id)} <Unconfirmed id={c.gp_agency_id} /></> : 'None recorded'}</Row>
          </dl>
          {onTeam && (
            <button type="button" class="govuk-button govuk-button--secondary" data-testid="edit-child" onClick={() => { setSaved(''); setEditing(true); }}>
              Change the identity details
            </button>
          )}
          </>
          )}
        </section>
        <section class="kith-card" aria-labelledby="flags-h">
          <h3 class="govuk-heading-m" id="flags-h">
            Flags
          </h3>
          <ul class="govuk-list" data-testid="flags">
            <li>Early help assessment: <strong>{c.flags.early_help_assessment ? 'Yes' : 'No'}</strong></li>
            <li>Child protection plan: <strong>{c.flags.child_protection_plan ? 'Yes' : 'No'}</strong></li>
            <li>Looked after: <strong>{c.flags.looked_after ? 'Yes' : 'No'}</strong></li>
            <li>Care leaver: <strong>{c.flags.care_leaver ? 'Yes' : 'No'}</strong></li>
            <li>Special educational needs: <strong>{c.flags.special_educational_needs ? 'Yes' : 'No'}</strong></li>
            <li>Shielded record: <strong>{c.shielded ? 'Yes' : 'No'}</strong></li>
          </ul>
        </section>
        <section class="kith-card" aria-labelledby="services-h">
          <h3 class="govuk-heading-m" id="services-h">
            Services involved
          </h3>
          {confirmed && <Success>{confirmed}</Success>}
          {onTeam && unconfirmed.size > 0 && (
            <UnconfirmedAgencies child={c} names={[...unconfirmed].map(name)} mayConfirm={mayConfirm}
              onConfirmed={() => { setConfirmed('The agencies involved are confirmed.'); reloadAccount(); }} />
          )}
          <TableWrap label="Services involved">
            <table class="govuk-table kith-table--stack">
              <caption class="govuk-table__caption govuk-visually-hidden">Services involved with this child</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Agency</th>
                  <th scope="col" class="govuk-table__header">Service</th>
                  <th scope="col" class="govuk-table__header">Dates</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {c.services.map((s, i) => (
                  <tr class="govuk-table__row" key={i}>
                    <td class="govuk-table__cell">
                      {name(s.agency_id)} <Unconfirmed id={s.agency_id} />
                      {agencies.get(s.agency_id)?.phone && (
                        <>
                          <br />
                          <span class="kith-meta">{agencies.get(s.agency_id)!.phone}</span>
                        </>
                      )}
                    </td>
                    <td class="govuk-table__cell">{s.description}</td>
                    <td class="govuk-table__cell">
                      From {formatDate(s.start)}
                      {s.end ? ` to ${formatDate(s.end)}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      </div>
      <div>
        <LeadCard lead={lead} />
        <section class="kith-card" aria-labelledby="carers-h">
          <h3 class="govuk-heading-m" id="carers-h">
            Parents and carers
          </h3>
          {c.carers.length === 0 ? (
            <p class="govuk-body">None recorded.</p>
          ) : (
            <ul class="govuk-list">
              {c.carers.map((k, i) => (
                <li key={i}>
                  <strong>{k.name}</strong>, {k.relationship}
                  {k.parental_responsibility ? ' (parental responsibility)' : ''}
                  {k.phone && <span class="kith-meta"> · {k.phone}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="kith-card" aria-labelledby="team-summary-h">
          <h3 class="govuk-heading-m" id="team-summary-h">
            Team around the child ({account.team.length})
          </h3>
          <ul class="govuk-list">
            {account.team.map((m) => (
              <li key={m.user_id}>
                {m.display_name}, {m.role}
                {m.agency && <span class="kith-meta"> · {m.agency.name}</span>}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
