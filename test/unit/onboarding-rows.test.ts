import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import {
  checkRow,
  checkRows,
  csvRows,
  failTakenEmails,
  parseCsv,
  storedRow,
} from '../../domain/onboarding/rows';

const row = (overrides: Record<string, unknown> = {}) => ({
  name: 'Acme',
  adminEmail: 'Admin@Acme.test',
  adminName: 'Ada',
  currencies: ['usd', 'EUR', 'USD'],
  ...overrides,
});

describe('CSV', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
    expect(parseCsv('a\n\n b \n')).toEqual([['a'], [' b ']]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,"b')).toThrow(AppError);
  });

  it('needs exactly the four columns in any order, and reports rows with the wrong field count', () => {
    expect(csvRows('currencies,name,adminName,adminEmail\nUSD,N,A,e@x.test')).toEqual([
      { currencies: 'USD', name: 'N', adminName: 'A', adminEmail: 'e@x.test' },
    ]);
    expect(csvRows('name,adminEmail,adminName,currencies\nN,e@x.test')).toEqual([
      { fields: ['N', 'e@x.test'], error: 'expected 4 fields, got 2' },
    ]);
    expect(() => csvRows('name,adminEmail,adminName,currency\n')).toThrow(/CSV header/);
  });
});

describe('one row', () => {
  it('cleans a valid row: trimmed names, lower-case email, upper-case unique currencies', () => {
    expect(checkRow(row({ name: ' Acme ', currencies: 'usd; eur;USD' }), 1)).toMatchObject({
      valid: { name: 'Acme', adminEmail: 'admin@acme.test', adminName: 'Ada', currencies: ['USD', 'EUR'] },
      errors: [],
    });
  });

  it('names every problem of a bad row', () => {
    const checked = checkRow(row({ name: '', adminEmail: 'nope', currencies: ['USD', 'XYZ'] }), 2);
    expect(checked.valid).toBeNull();
    expect(checked.errors).toEqual([
      'name: 1 to 200 characters',
      'adminEmail: nope is not a valid email',
      'currencies: unknown currency XYZ',
    ]);
    expect(checkRow(row({ currencies: '' }), 3).errors).toEqual(['currencies: at least one currency']);
    expect(checkRow(42, 4)).toMatchObject({ input: { value: 42 }, valid: null });
    expect(checkRow({ fields: [], error: 'expected 4 fields, got 0' }, 5).errors).toEqual([
      'expected 4 fields, got 0',
    ]);
  });
});

describe('a batch of rows', () => {
  it('fails a repeated admin email (case-insensitive); the first occurrence wins', () => {
    const rows = checkRows([
      row(),
      row({ adminEmail: 'ADMIN@acme.test' }),
      row({ adminEmail: 'b@acme.test' }),
    ]);
    expect(rows.map((r) => r.valid !== null)).toEqual([true, false, true]);
    expect(rows[1]!.errors).toEqual(['adminEmail: already used by row 1 of this batch']);
  });

  it('fails rows whose email is already taken, and stores each row with its outcome', () => {
    const rows = checkRows([row(), row({ adminEmail: 'free@acme.test' }), row({ adminEmail: 'bad' })]);
    failTakenEmails(rows, new Set(['admin@acme.test']));
    expect(rows.map(storedRow)).toEqual([
      {
        rowNumber: 1,
        input: row(),
        status: 'FAILED',
        error: 'adminEmail: admin@acme.test is already used by an existing partner or user',
      },
      {
        rowNumber: 2,
        input: { name: 'Acme', adminEmail: 'free@acme.test', adminName: 'Ada', currencies: ['USD', 'EUR'] },
        status: 'PENDING',
        error: null,
      },
      {
        rowNumber: 3,
        input: row({ adminEmail: 'bad' }),
        status: 'FAILED',
        error: 'adminEmail: bad is not a valid email',
      },
    ]);
  });
});
