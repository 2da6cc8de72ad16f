import { type ReactNode, useEffect, useRef, useState } from "react";
import { areaFor, areas } from "../areas.tsx";
import { useSession } from "../auth/session.tsx";
import { NavLink, usePath } from "../router/router.tsx";

const roleLabels: Record<string, string> = {
  admin: "Admin",
  marketer: "Marketer",
  rep: "Sales rep",
  partner_manager: "Partner manager",
  educator: "Educator",
  viewer: "Viewer",
};

/** The signed-in frame: header with the organization and sign-out, navigation between areas, the page. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const path = usePath();
  const [signingOut, setSigningOut] = useState(false);
  const first = useRef(true);

  // After an in-app navigation, move focus to the new page's heading so screen readers announce it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path changes by design
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, [path]);

  const area = areaFor(path);
  useEffect(() => {
    document.title = area ? `${area.label} · Throughline` : "Throughline";
  }, [area]);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="brand">Throughline</span>
          <span className="org">{me.organization.name}</span>
        </div>
        <div className="topbar-user">
          <span className="user">
            <span className="user-name">{me.user.name}</span>
            <span className="user-role">{roleLabels[me.user.role] ?? me.user.role}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={handleSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Product areas">
        <ul>
          {areas.map((a) => (
            <li key={a.path}>
              <NavLink to={a.path}>
                <span className="nav-label">{a.label}</span>
                <span className="nav-hint">{a.hint}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        {children}
      </main>
    </div>
  );
}
