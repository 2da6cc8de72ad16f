/** One scan: a person entering or leaving a session (or the door). Times in epoch milliseconds. */
export interface Passage {
  personId: string;
  direction: "entry" | "exit";
  at: number;
}

/**
 * Minutes each person spent inside a window [start, end], from entry/exit pairs in time order. Rules: an exit closes
 * the open entry; a repeated entry while inside is ignored (the first one counts); an exit with no open entry is
 * ignored; an entry never closed is closed at the window's end; only the part inside the window counts.
 */
export function minutesInWindow(
  passages: readonly Passage[],
  start: number,
  end: number,
): Map<string, number> {
  const byPerson = new Map<string, Passage[]>();
  for (const p of passages) {
    const list = byPerson.get(p.personId);
    if (list) list.push(p);
    else byPerson.set(p.personId, [p]);
  }
  const minutes = new Map<string, number>();
  for (const [personId, list] of byPerson) {
    list.sort((a, b) => a.at - b.at || (a.direction === b.direction ? 0 : a.direction === "entry" ? -1 : 1));
    let open: number | undefined;
    let ms = 0;
    const add = (from: number, to: number) => {
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (b > a) ms += b - a;
    };
    for (const p of list) {
      if (p.direction === "entry") {
        if (open === undefined) open = p.at;
      } else if (open !== undefined) {
        add(open, p.at);
        open = undefined;
      }
    }
    if (open !== undefined) add(open, end);
    minutes.set(personId, ms / 60_000);
  }
  return minutes;
}
