import { homePath } from "../areas.tsx";
import { Link } from "../router/router.tsx";

/** A path no area owns. */
export function NotFoundPage() {
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          Page not found
        </h1>
      </header>
      <p>
        There is nothing at this address. <Link to={homePath}>Go to Events</Link>.
      </p>
    </section>
  );
}
