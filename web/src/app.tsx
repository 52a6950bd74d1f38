// The app shell: session bootstrap, header and navigation, and the hash router.
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onAuthLost } from './api';
import { live, type LiveStatus } from './live';
import { href, useRoute } from './router';
import { adopt, isAdmin, isIndexSteward, mayReviewIndex, SessionContext, worksWithChildren } from './session';
import type { Session } from './types';
import { roleLabel } from './format';
import { Loading } from './components/ui';
import { SignIn } from './pages/SignIn';
import { Home } from './pages/Home';
import { Search } from './pages/Search';
import { ChildPage } from './pages/Child';
import { AdminUsers, AdminAgencies } from './pages/Admin';
import { AuditPage } from './pages/Audit';
import { ReviewPage, ReviewQueue } from './pages/Review';
import { ImportPage, ImportsPage } from './pages/Imports';
import { FamilyHome, Redeem } from './pages/Family';
import { FamilySettingsPage } from './pages/FamilySettings';
import { RetentionPage } from './pages/Retention';
import { MergePage, MergeStart } from './pages/Merge';
import { BreakGlassReviewPage } from './pages/BreakGlass';
import { JoinRequestsPage } from './pages/JoinRequests';
import { NewChildPage } from './pages/ChildRecord';

function Mark() {
  // Kith's mark: a child (centre) held by a ring of people.
  return (
    <svg class="kith-header__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="5" fill="#ffffff" />
      <circle cx="16" cy="16" r="12" fill="none" stroke="#58b6a9" stroke-width="3" stroke-dasharray="6 3.4" />
    </svg>
  );
}

interface NavItem {
  label: string;
  parts: string[];
}

function navFor(session: Session | null): NavItem[] {
  if (!session || session.state !== 'complete') return [];
  const role = session.user.role;
  const items: NavItem[] = [];
  if (worksWithChildren(role)) {
    items.push({ label: 'My children', parts: [] }, { label: 'Find a child', parts: ['search'] });
  }
  if (isAdmin(role)) {
    items.push({ label: 'Users', parts: ['admin', 'users'] }, { label: 'Agencies', parts: ['admin', 'agencies'] });
    if (role === 'authority_admin') items.push({ label: 'Family portal', parts: ['admin', 'family'] });
    items.push({ label: 'Retention', parts: ['admin', 'retention'] });
  }
  if (role === 'auditor') items.push({ label: 'Audit', parts: ['audit'] });
  if (mayReviewIndex(session)) items.push({ label: 'Index review', parts: ['reviews'] });
  if (isIndexSteward(session)) items.push({ label: 'Imports', parts: ['imports'] }, { label: 'Merge records', parts: ['merges'] });
  if (worksWithChildren(role)) items.push({ label: 'Requests to join', parts: ['join-requests'] });
  if (role === 'manager') items.push({ label: 'Emergency access', parts: ['break-glass'] });
  if (role === 'family') items.push({ label: 'My family', parts: [] });
  return items;
}

function hasLiveUpdates(role: string): boolean {
  return worksWithChildren(role) || role === 'family';
}

function isCurrent(item: NavItem, parts: string[]): boolean {
  if (item.parts.length === 0) return parts.length === 0 || parts[0] === 'home' || parts[0] === 'children';
  return item.parts.every((p, i) => parts[i] === p);
}

export function Layout({ session, onSignOut, children, liveStatus }: {
  session: Session | null;
  onSignOut?: () => void;
  children: ComponentChildren;
  liveStatus?: LiveStatus;
}) {
  const route = useRoute();
  const nav = navFor(session);
  // After an in-app navigation, move focus to the new view's heading so screen readers
  // announce it and keyboard users start from the top of the new content.
  const key = route.parts.join('/');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => {
      const target = document.getElementById('tab-h') ?? document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main-content');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }, 60);
    return () => clearTimeout(t);
  }, [key]);
  return (
    <>
      <a href="#main-content" class="govuk-skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main-content')?.focus(); }}>
        Skip to main content
      </a>
      <header class="kith-header" role="banner">
        <div class="govuk-width-container kith-header__inner">
          <a class="kith-header__brand" href={href()}>
            <Mark />
            Kith
          </a>
          <p class="kith-header__tagline">The safeguarding network around every child</p>
          <span class="kith-header__spacer" aria-hidden="true" />
          {session && (
            <div class="kith-header__user">
              {session.state === 'complete' && liveStatus && hasLiveUpdates(session.user.role) && (
                <span class={`kith-live${liveStatus === 'live' ? '' : ' kith-live--off'}`} data-testid="live-status" data-status={liveStatus}>
                  {liveStatus === 'live' ? 'Live' : liveStatus === 'connecting' ? 'Connecting' : 'Not live'}
                  <span class="govuk-visually-hidden"> updates</span>
                </span>
              )}
              <span>
                {session.user.display_name}
                <span class="govuk-visually-hidden">, {roleLabel(session.user.role)}</span>
              </span>
              <button type="button" class="kith-header__signout" onClick={onSignOut} data-testid="sign-out">
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      {nav.length > 0 && (
        <nav class="kith-nav" aria-label="Main">
          <div class="govuk-width-container">
            <ul class="kith-nav__list">
              {nav.map((n) => (
                <li key={n.label}>
                  <a class="kith-nav__link" href={href(...n.parts)} aria-current={isCurrent(n, route.parts) ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      )}
      <div class="kith-page">
        <div class="govuk-width-container">
          <main class="kith-main" id="main-content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </div>
      <footer class="kith-footer" role="contentinfo">
        <div class="govuk-width-container">
          Every view of a child's record is recorded with the reason given. Share only what the child's safety needs.
        </div>
      </footer>
    </>
  );
}

/** Keeps one broken view from blanking the whole app; resets when the route changes. */
class ViewBoundary extends Component<{ routeKey: string; children: ComponentChildren }, { failed: boolean; key: string }> {
  state = { failed: false, key: this.props.routeKey };

  static getDerivedStateFromProps(props: { routeKey: string }, state: { failed: boolean; key: string }) {
    return props.routeKey !== state.key ? { failed: false, key: props.routeKey } : null;
  }

  componentDidCatch(error: unknown) {
    console.error('view failed', error);
    this.setState({ failed: true });
  }

  render() {
    if (this.state.failed) {
      return (
        <>
          <h1 class="govuk-heading-l">Sorry, this page could not be shown</h1>
          <p class="govuk-body">
            Reload the page to try again, or go to <a class="govuk-link" href={href()}>your home page</a>.
          </p>
        </>
      );
    }
    return this.props.children;
  }
}

function NotFoundPage() {
  return (
    <>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">
        Check the address, or go to <a class="govuk-link" href={href()}>your home page</a>.
      </p>
    </>
  );
}

function Routes({ session }: { session: Session }) {
  const { parts } = useRoute();
  const role = session.user.role;
  const [head, a, b] = parts;
  // Family members have their own pages and nothing else.
  if (role === 'family') return !head || head === 'home' ? <FamilyHome /> : <NotFoundPage />;
  if (!head || head === 'home') {
    if (isAdmin(role)) return <AdminUsers />;
    if (role === 'auditor') return <AuditPage view={undefined} id={undefined} />;
    return <Home />;
  }
  if (head === 'search') return <Search />;
  if (head === 'children' && a === 'new' && worksWithChildren(role)) return <NewChildPage />;
  if (head === 'children' && a) return <ChildPage id={a} tab={b ?? 'overview'} />;
  if (head === 'admin' && a === 'users') return <AdminUsers />;
  if (head === 'admin' && a === 'agencies') return <AdminAgencies />;
  if (head === 'admin' && a === 'family') return <FamilySettingsPage />;
  if (head === 'admin' && a === 'retention' && isAdmin(role)) return <RetentionPage />;
  if (head === 'audit') return <AuditPage view={a} id={b} />;
  if (head === 'reviews' && mayReviewIndex(session)) return a ? <ReviewPage id={a} /> : <ReviewQueue />;
  if (head === 'imports' && isIndexSteward(session)) return a ? <ImportPage id={a} /> : <ImportsPage />;
  // Who may merge or review overrides is the server's decision: these pages show its refusal.
  if (head === 'merges' && worksWithChildren(role)) {
    if (a === 'compare' && b && parts[3]) return <MergeStart initial={[b, parts[3]]} key={`${b}-${parts[3]}`} />;
    return a ? <MergePage id={a} /> : <MergeStart />;
  }
  if (head === 'break-glass' && worksWithChildren(role)) return <BreakGlassReviewPage />;
  if (head === 'join-requests' && worksWithChildren(role)) return <JoinRequestsPage />;
  return <NotFoundPage />;
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('offline');
  const route = useRoute();

  useEffect(() => {
    api.get<Session>('/api/v1/session', { quiet401: true }).then(
      (s) => setSession(adopt(s)),
      () => setSession(null),
    );
    return onAuthLost((e: ApiError) => {
      if (e.code === 'second_factor_required') {
        api.get<Session>('/api/v1/session', { quiet401: true }).then((s) => setSession(adopt(s)), () => setSession(null));
      } else {
        setSession(null);
      }
    });
  }, []);

  // Live updates are about children's accounts: roles that work with children, and families.
  const complete = session?.state === 'complete' && hasLiveUpdates(session.user.role);
  useEffect(() => {
    if (!complete) return;
    live.start();
    const off = live.onStatus(setLiveStatus);
    return () => {
      off();
      live.stop();
    };
  }, [complete]);

  const signOut = () => {
    api.del('/api/v1/session', { quiet401: true }).finally(() => {
      setSession(null);
      location.hash = '#/';
    });
  };

  if (session === undefined) {
    return (
      <Layout session={null}>
        <Loading what="Kith" />
      </Layout>
    );
  }
  if (!session && route.parts[0] === 'redeem') {
    return (
      <Layout session={null}>
        <Redeem />
      </Layout>
    );
  }
  if (!session || session.state !== 'complete') {
    return (
      <Layout session={session} onSignOut={signOut}>
        <SignIn session={session} onSession={(s) => setSession(s ? adopt(s) : null)} />
      </Layout>
    );
  }
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <Layout session={session} onSignOut={signOut} liveStatus={liveStatus}>
        <ViewBoundary routeKey={location.hash}>
          <Routes session={session} />
        </ViewBoundary>
      </Layout>
    </SessionContext.Provider>
  );
}
