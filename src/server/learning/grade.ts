/**
 * Scores an answer against the key: right only when the chosen options are exactly the correct ones (for
 * multiple-choice items every correct option and no wrong one; no partial credit, so a response is right or wrong).
 */
export function gradeAnswer(item: { correct: number[] }, answer: readonly number[]): boolean {
  const chosen = [...new Set(answer)].sort((a, b) => a - b);
  const key = [...new Set(item.correct)].sort((a, b) => a - b);
  return chosen.length === key.length && chosen.every((c, i) => c === key[i]);
}
