import { type FormEvent, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { SignInResult } from "../api/types.ts";

interface Props {
  /** Called after the API accepted the credentials. */
  onSignedIn(result: SignInResult): Promise<void>;
}

/** Email and password sign-in; the session lives in an HttpOnly cookie set by the API. */
export function SignInPage({ onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await api.post<SignInResult>("/api/auth/sign-in", { email: email.trim(), password });
      await onSignedIn(result);
    } catch (e) {
      setError(signInMessage(e));
      setPending(false);
    }
  }

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <p className="brand brand-large">Throughline</p>
        <h1>Sign in</h1>
        <p className="muted">Run your events and see what changed after them.</p>
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor="sign-in-email">Email</label>
            <input
              id="sign-in-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sign-in-password">Password</label>
            <input
              id="sign-in-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}

function signInMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Sign-in failed; please try again.";
  switch (error.code) {
    case "unauthenticated":
      return "The email or password is wrong. Check both and try again.";
    case "validation":
      return error.field === "email" ? "Enter a valid email address." : "Enter your email and password.";
    case "rate_limited":
      return "Too many sign-in attempts. Wait a minute, then try again.";
    default:
      return error.message;
  }
}
