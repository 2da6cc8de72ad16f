import { createContext, useContext } from "react";
import type { Me } from "../api/types.ts";

export interface Session {
  me: Me;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user and organization; only usable inside the signed-in layout. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in layout");
  return session;
}
