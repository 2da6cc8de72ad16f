/** Prepared once per test run; database templates are added here by the db layer. */
export default async function setup(): Promise<void> {}
