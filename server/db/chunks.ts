// A list cut into pieces of at most `size`, for statements that take many rows or ids at once
// (SQLite's bound-parameter limit, PostgreSQL's round trips).
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
