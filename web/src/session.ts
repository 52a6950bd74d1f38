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

export function isAdmin(role: string): boolean {
  return role === 'authority_admin' || role === 'national_admin';
}
