// The relationships wheel: the child in the centre, everyone with a role in the child's life
// around them in five segments (family, household, carers, community, professionals), closer in
// when they live with the child. D3 lays out the segments and places; gaps (no school, no GP)
// and unexplained roles (an adult at the address with no stated relationship) are marked with
// shape, pattern and words, never colour alone. The list below is the wheel's text equivalent.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { arc, forceCollide, forceSimulation, forceX, forceY, pie, type PieArcDatum } from 'd3';
import { api, ApiError, seg, type Body } from '../api';
import type { TabProps } from '../pages/Child';
import type { Finding, Person, RelationshipType, Wheel as WheelData } from '../types';
import { CATEGORY_LABELS, formatDate, humanise } from '../format';
import { Button, Checkbox, check, DateField, dateProblem, FormError, FormErrors, Loaded, SelectField, Success, TextArea, TextField, useAsync, useProblems } from '../components/ui';

const CATEGORIES: Person['category'][] = ['family', 'household', 'carer', 'community', 'professional'];
// Light segment fills (text sits on white badges, so contrast never depends on them).
const FILLS: Record<string, string> = {
  family: '#e3f1ef',
  household: '#fdf0e1',
  carer: '#ece6f4',
  community: '#e6eef8',
  professional: '#eeeeee',
};
const SIZE = 600;
const R = SIZE / 2 - 6;

interface Placed {
  person: Person;
  x: number;
  y: number;
  flagged: Finding[];
}

export function concernsFor(findings: Finding[], personId: string): Finding[] {
  return findings.filter((f) => f.person_ids.includes(personId) && f.severity !== 'info');
}

export function useRelationshipTypes() {
  return useAsync(() => api.get<{ types: RelationshipType[] }>('/api/v1/relationship-types'), []);
}

interface Node {
  person: Person;
  flagged: Finding[];
  tx: number;
  ty: number;
  x: number;
  y: number;
}

function layout(w: WheelData) {
  // Segments sized by how many people they hold (at least two places each, so a near-empty
  // segment is still visible as a gap).
  const counts = CATEGORIES.map((c) => Math.max(2, w.people.filter((p) => p.category === c).length));
  const sectors = pie<number>().sort(null).padAngle(0.02)(counts);
  const segment = arc<PieArcDatum<number>>().innerRadius(60).outerRadius(R);
  const nodes: Node[] = [];
  CATEGORIES.forEach((c, ci) => {
    const s = sectors[ci];
    for (const inner of [true, false]) {
      const people = w.people.filter((p) => p.category === c && p.lives_with_child === inner);
      const radius = inner ? R * 0.47 : R * 0.78;
      people.forEach((p, i) => {
        // Spread evenly inside the segment; d3's angles start at 12 o'clock, clockwise.
        const t = s.startAngle + ((i + 1) * (s.endAngle - s.startAngle)) / (people.length + 1);
        const tx = radius * Math.sin(t);
        const ty = -radius * Math.cos(t);
        nodes.push({ person: p, flagged: concernsFor(w.findings, p.id), tx, ty, x: tx, y: ty });
      });
    }
  });
  const labels = CATEGORIES.map((c, ci) => {
    const [cx, cy] = arc<PieArcDatum<number>>().innerRadius(R - 14).outerRadius(R - 14).centroid(sectors[ci]);
    const x = Math.max(-SIZE / 2 + 54, Math.min(SIZE / 2 - 54, cx));
    return { c, x, y: cy };
  });
  // D3's force layout nudges crowded people apart (and off the segment labels, which stay
  // fixed) while keeping each near their place.
  type SimNode = Node | { fx: number; fy: number; x: number; y: number; label: true };
  const fixed: SimNode[] = labels.map((l) => ({ fx: l.x, fy: l.y, x: l.x, y: l.y, label: true as const }));
  const all: SimNode[] = [...nodes, ...fixed];
  const sim = forceSimulation(all)
    .force('x', forceX<SimNode>((d) => ('tx' in d ? d.tx : d.x)).strength(0.4))
    .force('y', forceY<SimNode>((d) => ('ty' in d ? d.ty : d.y)).strength(0.4))
    .force('collide', forceCollide<SimNode>((d) => ('label' in d ? 44 : 38)))
    .stop();
  for (let i = 0; i < 160; i++) sim.tick();
  for (const n of nodes) {
    const d = Math.hypot(n.x, n.y);
    const max = R - 44;
    const min = 92;
    if (d > max || d < min) {
      const k = Math.min(max, Math.max(min, d)) / (d || 1);
      n.x *= k;
      n.y *= k;
    }
  }
  return { sectors: sectors.map((s, i) => ({ c: CATEGORIES[i], d: segment(s) ?? '' })), placed: nodes, labels };
}

function initials(name: string): string {
  return name
    .replace(/[^\p{L}\s]/gu, '')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((s) => s[0]?.toUpperCase())
    .join('');
}

function WheelSvg({ wheel, typeLabel, selected, onSelect }: { wheel: WheelData; typeLabel: (c: string) => string; selected?: string; onSelect: (id: string) => void }) {
  const { sectors, placed, labels } = useMemo(() => layout(wheel), [wheel]);
  return (
    <svg class="kith-wheel" viewBox={`${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`} role="group" aria-label={`Relationships wheel for ${wheel.child.name}. Each person is a button; the same people are listed below.`} data-testid="wheel">
      <defs>
        <pattern id="kith-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#ffffff" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#b3261e" stroke-width="3" />
        </pattern>
      </defs>
      {sectors.map((s) => (
        <path key={s.c} d={s.d} fill={FILLS[s.c]} stroke="#ffffff" stroke-width="2" />
      ))}
      {labels.map((l) => (
        <g key={l.c} aria-hidden="true">
          <rect x={l.x - 52} y={l.y - 10} width={104} height={20} rx={10} fill="#ffffff" stroke="#b1b4b6" />
          <text x={l.x} y={l.y} text-anchor="middle" dominant-baseline="central" font-size="13" font-weight="bold" fill="#0b0c0c">
            {CATEGORY_LABELS[l.c]}
          </text>
        </g>
      ))}
      <circle r={R * 0.47} fill="none" stroke="#8a8f91" stroke-dasharray="3 5" aria-hidden="true" />
      {placed.map((p) => (
        <line
          key={`l-${p.person.id}`}
          x1={0}
          y1={0}
          x2={p.x}
          y2={p.y}
          stroke={p.flagged.length ? '#b3261e' : '#6f777b'}
          stroke-width={p.flagged.length ? 3 : 1.5}
          stroke-dasharray={p.person.verified ? undefined : '6 4'}
          aria-hidden="true"
        />
      ))}
      <g aria-hidden="true">
        <circle r={52} fill="#0b5563" />
        <text text-anchor="middle" y={-4} font-size="17" font-weight="bold" fill="#ffffff">
          {wheel.child.name.split(' ')[0]}
        </text>
        <text text-anchor="middle" y={16} font-size="13" fill="#ffffff">
          {wheel.child.age !== null && wheel.child.age !== undefined ? `${wheel.child.age} yr${wheel.child.age === 1 ? '' : 's'}` : ''}
        </text>
      </g>
      {placed.map((p) => {
        const flagged = p.flagged.length > 0;
        const label = `${p.person.name}, ${typeLabel(p.person.relationship)}${p.person.lives_with_child ? ', lives with the child' : ''}${p.person.verified ? '' : ', not verified'}${flagged ? `. Concern: ${p.flagged.map((f) => f.explanation).join(' ')}` : ''}`;
        return (
          <g
            key={p.person.id}
            class="kith-wheel__person"
            transform={`translate(${p.x},${p.y})`}
            role="button"
            tabIndex={0}
            aria-label={label}
            aria-pressed={selected === p.person.id}
            data-person={p.person.id}
            data-flagged={flagged ? 'true' : 'false'}
            onClick={() => onSelect(p.person.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(p.person.id);
              }
            }}
          >
            <circle class="kith-wheel__focus" r={27} fill="transparent" />
            <circle
              class="kith-wheel__ring"
              r={21}
              fill={flagged ? 'url(#kith-hatch)' : '#ffffff'}
              stroke={flagged ? '#b3261e' : p.person.category === 'professional' ? '#0b5563' : '#3b3b3b'}
              stroke-width={flagged || selected === p.person.id ? 4 : 2}
              stroke-dasharray={p.person.verified ? undefined : '5 3'}
            />
            <rect x={-13} y={-9} width={26} height={18} rx={3} fill="#ffffff" />
            <text text-anchor="middle" dominant-baseline="central" font-size="13" font-weight="bold" fill="#0b0c0c">
              {initials(p.person.name)}
            </text>
            {flagged && (
              <g transform="translate(17,-17)">
                <polygon points="0,-11 10,7 -10,7" fill="#ffdd00" stroke="#0b0c0c" stroke-width="1.5" />
                <text text-anchor="middle" y={5} font-size="12" font-weight="bold" fill="#0b0c0c">
                  !
                </text>
              </g>
            )}
            <rect x={-58} y={24} width={116} height={19} rx={3} fill="#ffffff" fill-opacity="0.95" />
            <text text-anchor="middle" y={38} font-size="13" fill="#0b0c0c">
              {p.person.name.length > 16 ? p.person.name.slice(0, 15) + '…' : p.person.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function PersonDetails({ person, wheel, typeLabel, childId, onChanged, onClose }: {
  person: Person;
  wheel: WheelData;
  typeLabel: (c: string) => string;
  childId: string;
  onChanged: () => void;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [error, setError] = useState<ApiError>();
  useEffect(() => heading.current?.focus(), [person.id]);
  const concerns = wheel.findings.filter((f) => f.person_ids.includes(person.id));
  const verify = async () => {
    setError(undefined);
    try {
      // Every field as read, less what the wheel says about the person (the API refuses those).
      const { id: _id, category: _c, verified_by_agency_id: _v, user_id: _u, version: _n, ...fields } = person;
      await api.put('/api/v1/children/{child_id}/wheel/people/{person_id}', { child_id: childId, person_id: person.id }, { ...fields, verified: true });
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <section class="kith-card" aria-labelledby="person-h" data-testid="person-details">
      <h3 class="govuk-heading-m" id="person-h" tabIndex={-1} ref={heading}>
        {person.name}
      </h3>
      <FormError error={error} idPrefix="person" />
      {concerns.map((f, i) => (
        <div key={i} class={`kith-finding kith-finding--${f.severity}`}>
          <strong>{f.severity === 'serious' ? 'Serious concern' : f.severity === 'warning' ? 'Concern' : 'Note'}:</strong> {f.explanation}
          {f.facts.length > 0 && <p class="kith-meta govuk-!-margin-bottom-0">Based on: {f.facts.map((x) => humanise(x).toLowerCase()).join('; ')}</p>}
        </div>
      ))}
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Relationship</dt>
          <dd class="govuk-summary-list__value">{typeLabel(person.relationship)}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Group</dt>
          <dd class="govuk-summary-list__value">{CATEGORY_LABELS[person.category] ?? humanise(person.category)}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Lives with the child</dt>
          <dd class="govuk-summary-list__value">
            {person.lives_with_child ? 'Yes' : 'No'}
            {person.since && ` (since ${formatDate(person.since)})`}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Adult</dt>
          <dd class="govuk-summary-list__value">
            {person.adult ? 'Yes' : 'No'}
            {person.date_of_birth && ` (born ${formatDate(person.date_of_birth)})`}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Checked</dt>
          <dd class="govuk-summary-list__value">{person.verified ? `Verified${person.verified_by_agency_id ? ' by ' + person.verified_by_agency_id : ''}` : 'Not verified'}</dd>
        </div>
        {person.notes && (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Notes</dt>
            <dd class="govuk-summary-list__value">{person.notes}</dd>
          </div>
        )}
      </dl>
      <div class="govuk-button-group">
        {!person.verified && !person.user_id && (
          <button type="button" class="govuk-button govuk-button--secondary" onClick={verify}>
            Mark as checked by my agency
          </button>
        )}
        <button type="button" class="kith-link-button" onClick={onClose}>
          Close details
        </button>
      </div>
    </section>
  );
}

export function PeopleList({ wheel, typeLabel, selected, onSelect }: { wheel: WheelData; typeLabel: (c: string) => string; selected?: string; onSelect: (id: string) => void }) {
  return (
    <div data-testid="wheel-list">
      {CATEGORIES.map((c) => {
        const people = wheel.people.filter((p) => p.category === c);
        return (
          <div key={c}>
            <h4 class="govuk-heading-s govuk-!-margin-bottom-1">
              {CATEGORY_LABELS[c]} ({people.length})
            </h4>
            {people.length === 0 ? (
              <p class="govuk-body-s">No one recorded.</p>
            ) : (
              <ul class="govuk-list">
                {people.map((p) => {
                  const concerns = concernsFor(wheel.findings, p.id);
                  return (
                    <li key={p.id}>
                      <button type="button" class="kith-link-button" aria-pressed={selected === p.id} onClick={() => onSelect(p.id)}>
                        {p.name}
                      </button>
                      , {typeLabel(p.relationship)}
                      {p.lives_with_child && ', lives with the child'}
                      {!p.verified && ', not verified'}
                      {concerns.length > 0 && (
                        <>
                          {' '}
                          <strong class="govuk-tag govuk-tag--red" data-testid="unexplained">
                            Concern
                          </strong>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}

function AddPerson({ childId, types, onAdded }: { childId: string; types: RelationshipType[]; onAdded: (p: Person) => void }) {
  const blank = { name: '', relationship: '', since: '', date_of_birth: '', notes: '' };
  const [f, setF] = useState(blank);
  const [lives, setLives] = useState(false);
  const [adult, setAdult] = useState(true);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof blank) => (v: string) => setF({ ...f, [k]: v });
  const options: [string, string][] = types.filter((t) => t.category !== 'professional').map((t) => [t.code, `${t.label} (${CATEGORY_LABELS[t.category] ?? t.category})`]);
  return (
    <form
      noValidate
      data-testid="add-person-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['name', !f.name.trim() && 'Enter the person\'s name, or what they are called'],
          ['relationship', !f.relationship && 'Choose the relationship to the child, or Unknown'],
          ['since', dateProblem(f.since, 'the date they came into the child\'s life', { notFuture: true })],
          ['date_of_birth', dateProblem(f.date_of_birth, 'their date of birth', { notFuture: true })],
        ]))) return;
        setBusy(true);
        const body: Body<'/api/v1/children/{child_id}/wheel/people', 'post'> = { name: f.name.trim(), relationship: f.relationship, lives_with_child: lives, adult };
        if (f.since) body.since = f.since;
        if (f.date_of_birth) body.date_of_birth = f.date_of_birth;
        if (f.notes.trim()) body.notes = f.notes.trim();
        try {
          const p = await api.post('/api/v1/children/{child_id}/wheel/people', { child_id: childId }, body);
          setF(blank);
          setLives(false);
          onAdded(p);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="person">
      <TextField id="person-name" label="Name" hint="As much as is known, for example: “Jason Kerr” or “man called Jay”." value={f.name} onInput={set('name')} maxLength={200} required />
      <SelectField id="person-relationship" label="Relationship to the child" hint="Choose “Unknown” if no one has explained who they are." value={f.relationship} onInput={set('relationship')} options={options} emptyLabel="Choose a relationship" required />
      <div class="govuk-form-group">
        <div class="govuk-checkboxes govuk-checkboxes--small">
          <Checkbox id="person-lives" label="Lives with the child, or stays at the address" checked={lives} onChange={setLives} />
          <Checkbox id="person-adult" label="Is an adult" checked={adult} onChange={setAdult} />
        </div>
      </div>
      <DateField id="person-since" label="Since (optional)" hint="When they came into the child's life. For example, 27 3 2026" value={f.since} onInput={set('since')} />
      <DateField id="person-date_of_birth" label="Date of birth (optional)" value={f.date_of_birth} onInput={set('date_of_birth')} />
      <TextArea id="person-notes" label="Notes (optional)" value={f.notes} onInput={set('notes')} rows={2} maxLength={1000} />
      <Button busy={busy} testid="add-person">Add to the wheel</Button>
    </FormErrors>
</form>
  );
}

export function Wheel({ childId, versions }: TabProps) {
  const wheel = useAsync(() => api.get<WheelData>(`/api/v1/children/${seg(childId)}/wheel`), [childId, versions.wheel, versions.team]);
  const types = useRelationshipTypes();
  const [selected, setSelected] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState('');
  const typeLabel = (code: string) => types.data?.types.find((t) => t.code === code)?.label ?? humanise(code);
  return (
    <>
      <p class="govuk-body">
        Everyone with a role in the child's life. People who live with the child are on the inner ring. A dashed outline means no
        agency has checked who they are; a hatched circle with <span aria-hidden="true">⚠</span> marks a concern.
      </p>
      <Loaded state={wheel} what="The relationships wheel">
        {(w) => {
          const person = w.people.find((p) => p.id === selected);
          const gaps = w.findings.filter((f) => f.person_ids.length === 0);
          const personal = w.findings.filter((f) => f.person_ids.length > 0);
          return (
            <>
              {added && <Success>{added}</Success>}
              {w.findings.length > 0 && (
                <section aria-labelledby="findings-h" data-testid="wheel-findings">
                  <h3 class="govuk-heading-m" id="findings-h">
                    What needs attention ({w.findings.length})
                  </h3>
                  {[...personal, ...gaps].map((f, i) => (
                    <div key={i} class={`kith-finding kith-finding--${f.severity}`}>
                      <strong>{f.person_ids.length === 0 ? 'Gap' : f.severity === 'serious' ? 'Serious concern' : f.severity === 'warning' ? 'Concern' : 'Note'}:</strong> {f.explanation}
                      {f.person_ids.length > 0 && (
                        <>
                          {' '}
                          {f.person_ids.map((id) => {
                            const p = w.people.find((x) => x.id === id);
                            return p ? (
                              <button key={id} type="button" class="kith-link-button" onClick={() => setSelected(id)}>
                                See {p.name}
                              </button>
                            ) : null;
                          })}
                        </>
                      )}
                    </div>
                  ))}
                </section>
              )}
              <div class="kith-card kith-wheel-card">
                <WheelSvg wheel={w} typeLabel={typeLabel} selected={selected} onSelect={setSelected} />
              </div>
              <p class="govuk-inset-text kith-phone-only" data-testid="wheel-phone-note">
                On a small screen the wheel is shown as the list of people below. Use a larger screen, or turn your phone, to see it
                drawn.
              </p>
              <div class="kith-grid kith-grid--halves">
                <div>
                  {person && (
                    <PersonDetails
                      key={person.id}
                      person={person}
                      wheel={w}
                      typeLabel={typeLabel}
                      childId={childId}
                      onChanged={wheel.reload}
                      onClose={() => setSelected(undefined)}
                    />
                  )}
                  {!person && <p class="govuk-body">Choose a person on the wheel or in the list to see their details.</p>}
                </div>
                <div>
                  <section class="kith-card" aria-labelledby="people-h">
                    <h3 class="govuk-heading-m" id="people-h">
                      People in {w.child.name.split(' ')[0]}'s life
                    </h3>
                    <PeopleList wheel={w} typeLabel={typeLabel} selected={selected} onSelect={setSelected} />
                  </section>
                </div>
              </div>
              {!adding ? (
                <button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setAdding(true); setAdded(''); }} data-testid="open-add-person">
                  Add a person
                </button>
              ) : (
                <section class="kith-card" aria-labelledby="add-person-h">
                  <h3 class="govuk-heading-m" id="add-person-h">
                    Add a person
                  </h3>
                  {types.data ? (
                    <AddPerson
                      childId={childId}
                      types={types.data.types}
                      onAdded={(p) => {
                        setAdding(false);
                        setAdded(`${p.name} was added to the wheel.`);
                        wheel.reload();
                        setSelected(p.id);
                      }}
                    />
                  ) : (
                    <Loaded state={types} what="Relationship types">{() => null}</Loaded>
                  )}
                </section>
              )}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
