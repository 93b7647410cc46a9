// Pure rules of a bulk onboarding file: CSV parsing, the check of each row on its own, and the repeated-email
// rule (the first occurrence wins). Emails already in use are checked against the database by the command.
import { z } from 'zod';
import { AppError } from '../errors';
import { isKnownCurrency } from '../money';
import type { OnboardingRowInput } from './contract';

export const CSV_COLUMNS = ['name', 'adminEmail', 'adminName', 'currencies'] as const;

const RowInputSchema = z.object({
  name: z.string(),
  adminEmail: z.string(),
  adminName: z.string(),
  currencies: z.union([z.array(z.string()), z.string()]),
});

const EmailFormat = z.email();

export interface CheckedRow {
  rowNumber: number;
  input: Record<string, unknown>;
  valid: OnboardingRowInput | null;
  errors: string[];
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError('VALIDATION_FAILED', 'the CSV has an unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

/** CSV rows as raw objects keyed by the header (which must name exactly the four columns, in any order). */
export function csvRows(text: string): unknown[] {
  const [header, ...records] = parseCsv(text);
  const columns = (header ?? []).map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length || columns.length !== CSV_COLUMNS.length) {
    throw new AppError('VALIDATION_FAILED', `the CSV header must be ${CSV_COLUMNS.join(',')}`, {
      errors: [
        {
          path: 'body.header',
          message: `missing: ${missing.join(',') || '-'}; unknown: ${unknown.join(',') || '-'}`,
        },
      ],
    });
  }
  return records.map((fields) =>
    fields.length === columns.length
      ? Object.fromEntries(columns.map((c, i) => [c, fields[i]]))
      : { fields, error: `expected ${columns.length} fields, got ${fields.length}` },
  );
}

/** Checks one row on its own: fields present, email format, known currencies. */
export function checkRow(raw: unknown, rowNumber: number): CheckedRow {
  const parsed = RowInputSchema.safeParse(raw);
  const input = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : { value: raw };
  if (!parsed.success) {
    const detail = (raw as { error?: string } | null)?.error;
    return {
      rowNumber,
      input,
      valid: null,
      errors: [detail ?? 'expected name, adminEmail, adminName, currencies'],
    };
  }
  const errors: string[] = [];
  const name = parsed.data.name.trim();
  const adminName = parsed.data.adminName.trim();
  const adminEmail = parsed.data.adminEmail.trim().toLowerCase();
  const list =
    typeof parsed.data.currencies === 'string' ? parsed.data.currencies.split(';') : parsed.data.currencies;
  const currencies = [...new Set(list.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (!name || name.length > 200) errors.push('name: 1 to 200 characters');
  if (!adminName || adminName.length > 200) errors.push('adminName: 1 to 200 characters');
  if (adminEmail.length > 320 || !EmailFormat.safeParse(adminEmail).success) {
    errors.push(`adminEmail: ${parsed.data.adminEmail || '(empty)'} is not a valid email`);
  }
  if (currencies.length === 0) errors.push('currencies: at least one currency');
  const unknown = currencies.filter((c) => !isKnownCurrency(c));
  if (unknown.length) errors.push(`currencies: unknown currency ${unknown.join(', ')}`);
  return {
    rowNumber,
    input,
    valid: errors.length ? null : { name, adminEmail, adminName, currencies },
    errors,
  };
}

/** Rows checked on their own and against earlier rows: a repeated admin email fails (the first one wins). */
export function checkRows(raw: readonly unknown[]): CheckedRow[] {
  const rows = raw.map((r, i) => checkRow(r, i + 1));
  const firstRow = new Map<string, number>();
  for (const row of rows) {
    if (!row.valid) continue;
    const first = firstRow.get(row.valid.adminEmail);
    if (first !== undefined) {
      row.errors.push(`adminEmail: already used by row ${first} of this batch`);
      row.valid = null;
    } else firstRow.set(row.valid.adminEmail, row.rowNumber);
  }
  return rows;
}

/** Fails the valid rows whose admin email is in `taken` (an existing partner or user holds it). */
export function failTakenEmails(rows: CheckedRow[], taken: ReadonlySet<string>): void {
  for (const row of rows) {
    if (row.valid && taken.has(row.valid.adminEmail)) {
      row.errors.push(`adminEmail: ${row.valid.adminEmail} is already used by an existing partner or user`);
      row.valid = null;
    }
  }
}

/** How a checked row is stored: PENDING with its cleaned input, or FAILED with its reasons and raw input. */
export function storedRow(row: CheckedRow) {
  return row.valid
    ? { rowNumber: row.rowNumber, input: { ...row.valid }, status: 'PENDING' as const, error: null }
    : {
        rowNumber: row.rowNumber,
        input: row.input,
        status: 'FAILED' as const,
        error: row.errors.join('; ').slice(0, 1000),
      };
}
