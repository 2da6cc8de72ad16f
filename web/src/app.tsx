import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError } from "./api/api-error.ts";
import { api } from "./api/client.ts";
import type { Me } from "./api/types.ts";
import { areaFor, homePath } from "./areas.tsx";
import { type Session, SessionContext } from "./auth/session.tsx";
import { SignInPage } from "./auth/sign-in-page.tsx";
import { AppLayout } from "./layout/app-layout.tsx";
import { NotFoundPage } from "./layout/not-found-page.tsx";
import { navigate, usePath } from "./router/router.tsx";

type State =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "unreachable"; message: string }
  | { status: "signed-in"; me: Me };

/**
 * The app: asks the API who is signed in, then shows either sign-in (at whatever address was asked for, so the
 * reader lands there after signing in) or the signed-in layout with the area the path names.
 */
export function App() {
  const [state, setState] = useState<State>({ status: "loading" });
  const path = usePath();

  const loadMe = useCallback(async () => {
    try {
      const me = await api.get<Me>("/api/auth/me");
      api.setCsrfToken(me.csrfToken);
      setState({ status: "signed-in", me });
    } catch (error) {
      api.setCsrfToken(null);
      if (error instanceof ApiError && error.status === 401) setState({ status: "signed-out" });
      else
        setState({
          status: "unreachable",
          message: error instanceof ApiError ? error.message : "the server did not answer",
        });
    }
  }, []);

  useEffect(() => {
    api.onUnauthenticated = () => {
      api.setCsrfToken(null);
      setState({ status: "signed-out" });
    };
    void loadMe();
    return () => {
      api.onUnauthenticated = null;
    };
  }, [loadMe]);

  const signOut = useCallback(async () => {
    try {
      await api.post("/api/auth/sign-out");
    } catch (error) {
      // Already signed out on the server: that is what was wanted.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    api.setCsrfToken(null);
    setState({ status: "signed-out" });
    navigate("/sign-in");
  }, []);

  const session = useMemo<Session | null>(
    () => (state.status === "signed-in" ? { me: state.me, signOut } : null),
    [state, signOut],
  );

  const landing = path === "/" || path === "/sign-in";
  useEffect(() => {
    if (state.status === "signed-in" && landing) navigate(homePath, { replace: true });
  }, [state.status, landing]);

  if (state.status === "loading") {
    return (
      <p className="boot" aria-live="polite">
        Loading Throughline…
      </p>
    );
  }
  if (state.status === "unreachable") {
    return (
      <main className="sign-in">
        <div className="sign-in-card" role="alert">
          <h1>Throughline is not reachable</h1>
          <p>{state.message}</p>
          <button type="button" className="button button-primary" onClick={() => void loadMe()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (state.status === "signed-out" || !session) {
    return (
      <SignInPage
        onSignedIn={async (result) => {
          api.setCsrfToken(result.csrfToken);
          await loadMe();
        }}
      />
    );
  }
  const Page = areaFor(landing ? homePath : path)?.page ?? NotFoundPage;
  return (
    <SessionContext.Provider value={session}>
      <AppLayout>
        <Page />
      </AppLayout>
    </SessionContext.Provider>
  );
}
