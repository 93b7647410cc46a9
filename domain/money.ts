// Money as bigint minor units: currency minor-unit table, parsing and arithmetic that never touches floats.

/** ISO 4217 currencies this installation accepts, with their number of minor-unit digits. */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = {
  AED: 2,
  ARS: 2,
  AUD: 2,
  BDT: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  GHS: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KRW: 0,
  KWD: 3,
  MAD: 2,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PEN: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  TZS: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
};

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_MINOR_UNITS, code);
}

export function minorUnits(currency: string): number {
  const digits = CURRENCY_MINOR_UNITS[currency];
  if (digits === undefined) throw new RangeError(`unknown currency ${currency}`);
  return digits;
}

/** The largest amount the JSON API carries exactly (2^53-1). */
export const MAX_API_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint from a database value (bigint columns come back as strings) or a safe integer. */
export function toMinor(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer amount: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`not an integer amount: ${value}`);
  return BigInt(value);
}

/** A bigint amount as a JSON number; refuses what JSON cannot carry exactly. */
export function toApiAmount(value: bigint | string | number): number {
  const minor = toMinor(value);
  if (minor > MAX_API_AMOUNT || minor < -MAX_API_AMOUNT) {
    throw new RangeError(`amount ${minor} exceeds the API range`);
  }
  return Number(minor);
}

/** `amount` as a decimal string in major units (USD 1234 -> "12.34"), for descriptions and mail. */
export function formatMinor(amount: bigint, currency: string): string {
  const digits = minorUnits(currency);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  if (digits === 0) return `${negative ? '-' : ''}${abs} ${currency}`;
  const base = 10n ** BigInt(digits);
  const fraction = (abs % base).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${abs / base}.${fraction} ${currency}`;
}
