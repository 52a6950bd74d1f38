// Home: the children whose teams I am on, my alerts, and the live news feed of their accounts.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { live } from '../live';
import { href } from '../router';
import { useSession } from '../session';
import type { Alert, ChildSummary, FeedItem, WorkerCaseload } from '../types';
import { age, formatDate, formatDateTime, fullName } from '../format';
import { FlagTags, Loaded, SignificanceTag, useAsync } from '../components/ui';

const FEED_KIND: Record<string, string> = {
  chronology_entry: 'Chronology',
  forum_post: 'Forum',
  team_change: 'Team',
  wheel_person: 'Relationships',
  finding: 'Finding',
  mention: 'Mention',
};

export function FeedList({ items }: { items: FeedItem[] }) {
  const [shown, setShown] = useState(15);
  if (items.length === 0) return <p class="govuk-body">Nothing new on your children's accounts yet.</p>;
  return (
    <>
    <ul class="kith-feed" data-testid="feed">
      {items.slice(0, shown).map((i) => (
        <li class="kith-feed__item" key={i.id}>
          <p class="govuk-body govuk-!-margin-bottom-1">
            <a class="govuk-link" href={href('children', i.child_id, i.kind === 'forum_post' || i.kind === 'mention' ? 'forum' : i.kind === 'chronology_entry' ? 'chronology' : 'overview')}>
              {i.child_name}
            </a>
            {': '}
            {i.summary}
          </p>
          <p class="kith-meta">
            <strong class="govuk-tag govuk-tag--grey">{FEED_KIND[i.kind] ?? i.kind}</strong> {i.significance && i.significance !== 'routine' && <SignificanceTag value={i.significance} />}{' '}
            {i.actor_name} · {formatDateTime(i.at)}
          </p>
        </li>
      ))}
    </ul>
    {items.length > shown && (
      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-top-3 govuk-!-margin-bottom-0" onClick={() => setShown(shown + 15)}>
        Show older news
      </button>
    )}
    </>
  );
}

function Feed() {
  const feed = useAsync(() => api.get<{ items: FeedItem[] }>('/api/v1/feed?limit=50'), []);
  // Items that arrived live since the feed loaded, newest first; merged over the loaded feed.
  const [arrived, setArrived] = useState<FeedItem[]>([]);
  useEffect(
    () =>
      live.subscribe((m) => {
        if (m.type === 'feed') {
          const item = (m as { item: FeedItem }).item;
          setArrived((cur) => (cur.some((c) => c.id === item.id) ? cur : [item, ...cur].slice(0, 100)));
        }
      }),
    [],
  );
  const loaded = feed.data?.items ?? [];
  const items = [...arrived.filter((a) => !loaded.some((l) => l.id === a.id)), ...loaded];
  return (
    <section class="kith-card" aria-labelledby="feed-h">
      <h2 class="govuk-heading-m" id="feed-h">
        News feed
      </h2>
      <div aria-live="polite" aria-relevant="additions">
        <Loaded state={feed} what="The news feed">
          {() => <FeedList items={items} />}
        </Loaded>
      </div>
    </section>
  );
}

/** The tab of the child's account an alert is about. */
export function alertTab(kind: string): string[] {
  if (kind === 'overdue_action') return ['early-help'];
  if (kind.startsWith('release_') || kind === 'family_entry') return ['family'];
  if (kind.startsWith('contact_')) return ['contact'];
  if (kind.startsWith('join_') || kind.startsWith('shield') || kind.startsWith('lead_') || kind === 'team_joined') return ['team'];
  return [];
}

function Alerts() {
  const alerts = useAsync(() => api.get<{ alerts: Alert[] }>('/api/v1/alerts'), []);
  const unread = alerts.data?.alerts.filter((a) => !a.read) ?? [];
  if (alerts.error?.notAvailable || (alerts.data && unread.length === 0)) return null;
  return (
    <Loaded state={alerts} what="Alerts">
      {() => (
        <section class="govuk-notification-banner" aria-labelledby="alerts-h" data-testid="alerts">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="alerts-h">
              Alerts ({unread.length})
            </h2>
          </div>
          <div class="govuk-notification-banner__content">
            <ul class="govuk-list">
              {unread.map((a) => (
                <li key={a.id}>
                  {a.child_id ? (
                    <>
                      <a class="govuk-link" href={href('children', a.child_id, ...alertTab(a.kind))}>{a.child_name}</a>:{' '}
                    </>
                  ) : null}
                  {a.summary}{' '}
                  <span class="kith-meta">({formatDateTime(a.at)})</span>{' '}
                  <button
                    type="button"
                    class="kith-link-button"
                    onClick={() => api.post('/api/v1/alerts/{alert_id}/read', { alert_id: a.id }, {}).then(alerts.reload)}
                  >
                    Mark as read<span class="govuk-visually-hidden">: {a.summary}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
    </Loaded>
  );
}

export function MyChildren() {
  const kids = useAsync(() => api.get<{ children: ChildSummary[] }>('/api/v1/me/children'), []);
  return (
    <section class="kith-card" aria-labelledby="children-h">
      <h2 class="govuk-heading-m" id="children-h">
        My children
      </h2>
      <Loaded state={kids} what="Your children">
        {(d) =>
          d.children.length === 0 ? (
            <p class="govuk-body">
              You are not on any child's team yet. <a class="govuk-link" href={href('search')}>Find a child</a> to see who is
              involved, and join their team with a reason.
            </p>
          ) : (
            <ul class="kith-child-list" data-testid="my-children">
              {d.children.map((c) => (
                <li class="kith-child-list__item" key={c.child_id}>
                  <a class="govuk-link kith-child-list__name" href={href('children', c.child_id)}>
                    {fullName(c)}
                  </a>
                  <p class="kith-meta">
                    Born {formatDate(c.date_of_birth)} ({age(c.date_of_birth)}) · Your role: {c.my_role}
                  </p>
                  <FlagTags flags={c.flags} lead={c.i_am_lead} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}


/** A manager's workers and the children on their caseloads (only those the manager may open). */
export function TeamCaseloads() {
  const workers = useAsync(() => api.get<{ workers: WorkerCaseload[] }>('/api/v1/me/caseload'), []);
  return (
    <section class="kith-card" aria-labelledby="caseloads-h" data-testid="caseloads">
      <h2 class="govuk-heading-m" id="caseloads-h">Your team's caseloads</h2>
      <Loaded state={workers} what="Your team's caseloads">
        {(d) =>
          d.workers.length === 0 ? (
            <p class="govuk-body">Nobody in your agency works with children in Kith yet.</p>
          ) : (
            <>
              <p class="govuk-body">
                {d.workers.reduce((n, w) => n + w.children.length, 0)} children across {d.workers.length} workers. Each child is listed
                where you may open their account.
              </p>
              {d.workers.map((w) => (
                <details class="govuk-details govuk-!-margin-bottom-3" key={w.user_id} data-testid="worker">
                  <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">
                      {w.display_name}
                      {w.job_title && `, ${w.job_title}`} ({w.children.length} {w.children.length === 1 ? 'child' : 'children'})
                    </span>
                  </summary>
                  <div class="govuk-details__text">
                    {w.children.length === 0 ? (
                      <p class="govuk-body">No children on their caseload.</p>
                    ) : (
                      <ul class="kith-child-list">
                        {w.children.map((c) => (
                          <li class="kith-child-list__item" key={c.child_id}>
                            <a class="govuk-link kith-child-list__name" href={href('children', c.child_id)}>{fullName(c)}</a>
                            <p class="kith-meta">
                              Born {formatDate(c.date_of_birth)}{c.date_of_birth ? ` (${age(c.date_of_birth)})` : ''} · {w.display_name.split(' ')[0]}'s role: {c.my_role}
                              {c.i_am_lead ? ' (lead professional)' : ''}
                            </p>
                            <FlagTags flags={c.flags} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                </details>
              ))}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

export function Home() {
  const { session } = useSession();
  useEffect(() => {
    document.title = 'My children – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Hello, {session.user.display_name.split(' ')[0]}</h1>
      <Alerts />
      <div class="kith-grid kith-grid--home">
        <div>
          {session.user.role === 'manager' && <TeamCaseloads />}
          <MyChildren />
        </div>
        <Feed />
      </div>
      <p class="govuk-body">
        Looking for a child who is not on a team you know? <a class="govuk-link" href={href('search')}>Find a child</a>, or{' '}
        <a class="govuk-link" href={href('children', 'new')} data-testid="add-child-link">add a child to the index</a> if they are not in Kith yet.
      </p>
    </>
  );
}
