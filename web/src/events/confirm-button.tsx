import { useState } from "react";

interface Props {
  /** The button's words ("Delete"). */
  label: string;
  /** What it acts on, for the accessible name ("session Opening keynote"). */
  subject: string;
  /** The words of the second, confirming click ("Delete for good"). */
  confirmLabel: string;
  onConfirm(): Promise<void>;
  disabled?: boolean;
}

/** A destructive action in two clicks on the page itself (no browser dialog): the first asks, the second acts. */
export function ConfirmButton({ label, subject, confirmLabel, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button"
        aria-label={`${label} ${subject}`}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="button button-danger"
        aria-label={`${confirmLabel}: ${subject}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-quiet" onClick={() => setAsking(false)} disabled={busy}>
        Keep
      </button>
    </span>
  );
}
