import { NotBuilt } from "../layout/not-built.tsx";

/** Validated learning for education and training events. */
export function LearningPage() {
  return (
    <NotBuilt
      title="Learning"
      question="Did people learn, retain it and change what they do, not just attend?"
      planned={[
        "Pre, post and delayed (30 and 90 day) knowledge checks with a confidence rating per answer.",
        "Normalized gain, retention at each delay, and misconceptions (confident and wrong).",
        "Outcome level reached per activity (Moore's levels) and commitment-to-change follow-ups.",
        "Learning journeys per role with spaced reinforcement; credits and certificates.",
        "Independent use of trained product features against untrained customers, and support tickets on trained topics.",
      ]}
    />
  );
}
