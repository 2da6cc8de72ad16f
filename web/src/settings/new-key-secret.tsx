import { useState } from "react";
import type { CreatedApiKey } from "../api/types.ts";

/** The secret of a key just created: shown once, with a copy button, until dismissed. */
export function NewKeySecret({ created, onDismiss }: { created: CreatedApiKey; onDismiss(): void }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="alert alert-success" role="status" aria-labelledby="new-key-title">
      <h3 id="new-key-title">Key “{created.name}” created</h3>
      <p>Copy the secret now. It is shown only this once; Throughline keeps only a hash of it.</p>
      <div className="secret-row">
        <label className="visually-hidden" htmlFor="new-key-secret">
          API key secret
        </label>
        <input
          id="new-key-secret"
          className="secret"
          readOnly
          value={created.secret}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      {copied === "failed" && (
        <p className="small">The browser did not allow copying; select the text instead.</p>
      )}
      <p className="small muted">
        Use it as <code>Authorization: Bearer &lt;secret&gt;</code> on API requests.
      </p>
      <button type="button" className="button" onClick={onDismiss}>
        I have stored it
      </button>
    </div>
  );
}
