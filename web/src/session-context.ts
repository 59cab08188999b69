import { createContext } from 'preact';
import type { SessionView } from './types.ts';

/** The signed-in session: who, with which scope; what the pages show and allow follows from it. */
export const SessionContext = createContext<SessionView | undefined>(undefined);

const rank = { read: 1, trigger: 2, admin: 3 } as const;

/** Whether the session's token may do what needs `scope` (admin > trigger > read). */
export function mayDo(session: SessionView | undefined, scope: keyof typeof rank): boolean {
  return session !== undefined && rank[session.scope] >= rank[scope];
}
