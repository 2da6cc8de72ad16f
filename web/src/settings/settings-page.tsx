import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { ApiKey, CreatedApiKey } from "../api/types.ts";
import { useSession } from "../auth/session.tsx";
import { ApiKeysTable } from "./api-keys-table.tsx";
import { NewKeySecret } from "./new-key-secret.tsx";

/** Organization settings; today, the API keys (admins only). */
export function SettingsPage() {
  const { me } = useSession();
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          Settings
        </h1>
        <p className="muted">{me.organization.name}</p>
      </header>
      {me.user.role === "admin" ? (
        <ApiKeysSection />
      ) : (
        <div className="panel">
          <h2>API keys</h2>
          <p>Only administrators can see and create API keys. Ask an admin of your organization.</p>
        </div>
      )}
    </section>
  );
}

function ApiKeysSection() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const load = useCallback(async () => {
    try {
      const result = await api.get<{ keys: ApiKey[] }>("/api/api-keys");
      setKeys(result.keys);
      setLoadError(null);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setCreateError(null);
    try {
      const key = await api.post<CreatedApiKey>("/api/api-keys", { name: name.trim() });
      setCreated(key);
      setName("");
      await load();
    } catch (error) {
      setCreateError(messageOf(error));
    } finally {
      setPending(false);
    }
  }

  async function revoke(key: ApiKey) {
    try {
      await api.delete(`/api/api-keys/${key.id}`);
      if (created?.id === key.id) setCreated(null);
      await load();
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">
        Keys let other systems (a CRM, a script) call the Throughline API on your organization's behalf.
      </p>

      <form className="inline-form" onSubmit={create}>
        <div className="field">
          <label htmlFor="api-key-name">Key name</label>
          <input
            id="api-key-name"
            type="text"
            required
            maxLength={100}
            placeholder="e.g. CRM sync"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={createError ? "api-key-error" : undefined}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={pending || name.trim() === ""}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>
      {createError && (
        <p id="api-key-error" className="alert alert-error" role="alert">
          {createError}
        </p>
      )}
      {created && <NewKeySecret created={created} onDismiss={() => setCreated(null)} />}

      {loadError && (
        <p className="alert alert-error" role="alert">
          {loadError}
        </p>
      )}
      {keys === null && !loadError && <p className="muted">Loading keys…</p>}
      {keys?.length === 0 && <p className="muted">No active keys.</p>}
      {keys && keys.length > 0 && <ApiKeysTable keys={keys} onRevoke={revoke} />}
    </section>
  );
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : "something went wrong; please try again";
}
