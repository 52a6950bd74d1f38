// The signed-in user, shared through context. The CSRF token is handed to the API client.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { setCsrfToken } from './api';
import type { Session } from './types';

export interface SessionApi {
  session: Session;
  signOut: () => void;
}

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function adopt(s: Session): Session {
  setCsrfToken(s.csrf_token);
  return s;
}

export function worksWithChildren(role: string): boolean {
  return role === 'practitioner' || role === 'manager';
}

/** An index steward (ADR 0010): imports source feeds, decides index reviews, merges children. */
export function isIndexSteward(session: Session): boolean {
  return worksWithChildren(session.user.role) && session.user.index_steward === true;
}

/** Managers and index stewards decide the national index's clerical review. */
export function mayReviewIndex(session: Session): boolean {
  return session.user.role === 'manager' || isIndexSteward(session);
}

export function isAdmin(role: string): boolean {
  return role === 'authority_admin' || role === 'national_admin';
}
