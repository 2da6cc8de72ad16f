import { useState } from "react";
import type { ApiKey } from "../api/types.ts";

interface Props {
  keys: ApiKey[];
  onRevoke(key: ApiKey): Promise<void>;
}

/** Active keys by name and prefix (never their secrets), each revocable after a second click to confirm. */
export function ApiKeysTable({ keys, onRevoke }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  async function revoke(key: ApiKey) {
    setBusy(key.id);
    try {
      await onRevoke(key);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  }

  return (
    <table className="data-table">
      <caption className="visually-hidden">Active API keys</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key starts with</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id}>
            <th scope="row" data-label="Name">
              {key.name}
            </th>
            <td data-label="Key starts with">
              <code>{key.prefix}…</code>
            </td>
            <td data-label="Created">{dateFormat.format(new Date(key.createdAt))}</td>
            <td className="actions">
              {confirming === key.id ? (
                <>
                  <button
                    type="button"
                    className="button button-danger"
                    disabled={busy === key.id}
                    onClick={() => revoke(key)}
                  >
                    Revoke “{key.name}”
                  </button>
                  <button type="button" className="button button-quiet" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </>
              ) : (
                <button type="button" className="button" onClick={() => setConfirming(key.id)}>
                  Revoke<span className="visually-hidden"> {key.name}</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
