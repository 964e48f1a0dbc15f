// Splits a person's name as people write it: "Ola Nordmann", "Nordmann, Ola",
// "Kari Anne Nordmann" (last word is the last name), "\"Ola\" <ola@x.no>" display names.

export interface PersonName {
  firstName: string | null;
  lastName: string | null;
}

export function splitName(input: string | null | undefined): PersonName {
  const name = (input ?? '')
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name || name.includes('@')) return { firstName: null, lastName: null };
  const comma = name.indexOf(',');
  if (comma > 0) {
    const last = name.slice(0, comma).trim();
    const first = name.slice(comma + 1).trim();
    return { firstName: first || null, lastName: last || null };
  }
  const parts = name.split(' ');
  if (parts.length === 1) return { firstName: name, lastName: null };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] ?? null };
}
