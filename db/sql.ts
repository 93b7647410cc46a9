// Small helpers for raw SQL through MikroORM (which expands JS arrays into lists of placeholders).

/** A text[] literal for a `?::text[]` parameter. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
