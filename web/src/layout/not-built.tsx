import type { ReactNode } from "react";

interface Props {
  title: string;
  /** One sentence: the question this area will answer. */
  question: string;
  /** What the area will show once built. */
  planned: string[];
  /** Anything already usable elsewhere (for example a CLI command). */
  meanwhile?: ReactNode;
}

/** An area that is not built yet, saying so plainly and naming what it will hold (never placeholder numbers). */
export function NotBuilt({ title, question, planned, meanwhile }: Props) {
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        <p className="muted">{question}</p>
      </header>
      <div className="panel not-built">
        <p className="status-tag">Not built yet</p>
        <p>This area has no screens yet, so it shows no figures. When it is built it will show:</p>
        <ul>
          {planned.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        {meanwhile && <div className="meanwhile">{meanwhile}</div>}
      </div>
    </section>
  );
}
