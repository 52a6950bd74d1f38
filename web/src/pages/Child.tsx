// A child's account: header, tab navigation (hash routes with the Kith id only), and the tabs.
// The heavy views (graph, word cloud, wheel) and their libraries load only when opened.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, seg } from '../api';
import { live } from '../live';
import { href } from '../router';
import { useSession } from '../session';
import type { ChildAccount } from '../types';
import { age, formatDate, fullName } from '../format';
import { FlagTags, Loading, Problem, useAsync } from '../components/ui';
import { SignpostAndJoin } from './Signposting';
import { Overview } from '../account/Overview';
import { TeamTab } from '../account/Team';
import { AccountAudit } from './Audit';

export interface TabProps {
  childId: string;
  account: ChildAccount;
  /** Bumped when live updates say this part of the account changed. */
  versions: Versions;
  reloadAccount: () => void;
}

export interface Versions {
  family: number;
  chronology: number;
  forum: number;
  wheel: number;
  team: number;
  early_help: number;
}

type Loader = () => Promise<ComponentType<TabProps>>;

const TABS: { id: string; label: string; load?: Loader; leadOnly?: boolean }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'chronology', label: 'Chronology', load: () => import('../account/Chronology').then((m) => m.Chronology) },
  { id: 'contact', label: 'Agency contact', load: () => import('../account/ContactGraph').then((m) => m.ContactGraph) },
  { id: 'words', label: 'Word cloud', load: () => import('../account/WordCloud').then((m) => m.WordCloud) },
  { id: 'wheel', label: 'Relationships', load: () => import('../account/Wheel').then((m) => m.Wheel) },
  { id: 'forum', label: 'Forum', load: () => import('../account/Forum').then((m) => m.Forum) },
  { id: 'early-help', label: 'Early help', load: () => import('../account/EarlyHelp').then((m) => m.EarlyHelp) },
  { id: 'team', label: 'Team' },
  { id: 'family', label: 'Family', load: () => import('../account/Family').then((m) => m.FamilyTab) },
  { id: 'audit', label: 'Audit', leadOnly: true },
];

function LazyTab({ loader, props }: { loader: Loader; props: TabProps }) {
  const [C, setC] = useState<{ c: ComponentType<TabProps> } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    setC(null);
    loader().then(
      (c) => alive && setC({ c }),
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, [loader]);
  if (failed) return <p class="govuk-body">This view could not be loaded. Reload the page to try again.</p>;
  if (!C) return <Loading what="this view" />;
  return <C.c {...props} />;
}

function NotOnTeam({ id, onAccess }: { id: string; onAccess: () => void }) {
  useEffect(() => {
    document.title = "Not on this child's team – Kith";
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">You are not on this child's team</h1>
      <div class="kith-card">
        <p class="govuk-body">
          Only practitioners on a child's team can see their account. You can see who is involved and how to contact them,
          and ask to join the team if you work with this child. In an emergency you can break the glass.
        </p>
        <SignpostAndJoin childId={id} onAccess={onAccess} />
      </div>
    </>
  );
}

export function ChildPage({ id, tab }: { id: string; tab: string }) {
  const { session } = useSession();
  const account = useAsync(() => api.get<ChildAccount>(`/api/v1/children/${seg(id)}`), [id]);
  const [versions, setVersions] = useState<Versions>({ family: 0, chronology: 0, forum: 0, wheel: 0, team: 0, early_help: 0 });

  useEffect(
    () =>
      live.subscribe((m) => {
        if (m.type !== 'child_updated' || m.child_id !== id) return;
        const what = m.what as keyof Versions;
        if (what in versions) setVersions((v) => ({ ...v, [what]: v[what] + 1 }));
        if (what === 'team' || what === 'early_help') account.reload();
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id],
  );

  const a = account.data;
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  useEffect(() => {
    if (a) document.title = `${current.label} – ${fullName(a.child)} – Kith`;
  }, [a, current]);

  if (account.error && !a) {
    if (account.error.status === 403) return <NotOnTeam id={id} onAccess={account.reload} />;
    return (
      <>
        <h1 class="govuk-heading-l">{account.error.status === 404 ? 'Child not found' : "Cannot open this child's account"}</h1>
        <Problem error={account.error} />
      </>
    );
  }
  if (!a) return <Loading what="the child's account" />;

  const me = a.team.find((m) => m.user_id === session.user.id);
  const tabs = TABS.filter((t) => !t.leadOnly || me?.lead);
  const props: TabProps = { childId: id, account: a, versions, reloadAccount: account.reload };
  return (
    <>
      <div class="kith-account-header">
        <span class="govuk-caption-m">Child's account</span>
        <h1 class="govuk-heading-xl" data-testid="child-name">{fullName(a.child)}</h1>
        <p class="kith-meta">
          Born {formatDate(a.child.date_of_birth)} ({age(a.child.date_of_birth)}) · Kith ID {a.child.id}
        </p>
        <FlagTags flags={a.child.flags} shielded={a.child.shielded} lead={me?.lead} />
      </div>
      {a.access === 'break-glass' && (
        <div class="govuk-warning-text" data-testid="break-glass-banner">
          <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            You are reading this record through emergency access. You cannot change it; everything you look at is
            recorded, and a manager will review whether the access was justified.
          </strong>
        </div>
      )}
      {a.access === 'manager of a team member' && (
        <p class="govuk-inset-text" data-testid="supervision-banner">You see this record as the manager of a team member.</p>
      )}
      <nav aria-label="Child's account">
        <ul class="kith-tabs">
          {tabs.map((t) => (
            <li key={t.id}>
              <a class="kith-tabs__link" href={href('children', id, t.id)} aria-current={t.id === current.id ? 'page' : undefined}>
                {t.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="tab-h">
        <h2 class="govuk-heading-l govuk-!-margin-bottom-4" id="tab-h">
          {current.label}
        </h2>
        {current.id === 'overview' && <Overview {...props} />}
        {current.id === 'team' && <TeamTab {...props} />}
        {current.id === 'audit' && <AccountAudit {...props} />}
        {current.load && <LazyTab loader={current.load} props={props} />}
      </section>
    </>
  );
}
