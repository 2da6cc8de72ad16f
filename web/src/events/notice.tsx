/** The answer to the last action on a section: a status when it worked, an alert when it did not. */
export type NoticeState = { ok: boolean; text: string } | null;

export function Notice({ notice }: { notice: NoticeState }) {
  if (!notice) return null;
  return (
    <p
      className={`alert ${notice.ok ? "alert-success" : "alert-error"}`}
      role={notice.ok ? "status" : "alert"}
    >
      {notice.text}
    </p>
  );
}
