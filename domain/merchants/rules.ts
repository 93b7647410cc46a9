// Pure merchant rules: what an application must hold, when a decision is still possible, and the suspension
// rule applied to merchants (the application's timeline is in contract.ts, which the workflow imports).
import type { FieldProblem } from '../errors';
import { isKnownCurrency } from '../money';
import { nextSuspensionStatus, type SuspensionChange } from '../tenancy/suspension';
import type { MerchantApplicationFields, MerchantApplicationStatus } from './contract';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Two-letter region codes that are not countries (unions, pseudo-locales, unknown). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** An ISO 3166-1 alpha-2 country code (`US`, `DE`), upper-case. */
export function isKnownCountry(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  const name = regionNames.of(code);
  return name !== undefined && name !== code;
}

/** A website is an absolute http(s) URL with a host. */
export function isWebsite(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * The field problems of an application (empty: valid) and its normal form: trimmed names, lower-case email,
 * upper-case country, currencies upper-case and deduplicated in the order given, an empty website as none.
 */
export function checkApplication(raw: MerchantApplicationFields): {
  problems: FieldProblem[];
  fields: MerchantApplicationFields;
} {
  const fields: MerchantApplicationFields = {
    businessName: raw.businessName.trim(),
    contactName: raw.contactName.trim(),
    email: raw.email.trim().toLowerCase(),
    country: raw.country.trim().toUpperCase(),
    website: raw.website?.trim() ? raw.website.trim() : null,
    currencies: [...new Set(raw.currencies.map((c) => c.trim().toUpperCase()))],
  };
  const problems: FieldProblem[] = [];
  if (!fields.businessName) problems.push({ path: 'body.businessName', message: 'required' });
  if (!fields.contactName) problems.push({ path: 'body.contactName', message: 'required' });
  if (!isKnownCountry(fields.country)) {
    problems.push({
      path: 'body.country',
      message: 'expected an ISO 3166-1 alpha-2 country code such as US',
    });
  }
  if (fields.website !== null && !isWebsite(fields.website)) {
    problems.push({ path: 'body.website', message: 'expected an http(s) URL such as https://shop.example' });
  }
  if (!fields.currencies.length) problems.push({ path: 'body.currencies', message: 'at least one currency' });
  fields.currencies.forEach((c, i) => {
    if (!isKnownCurrency(c))
      problems.push({ path: `body.currencies.${i}`, message: `unknown currency ${c}` });
  });
  return { problems, fields };
}

/** Why an application in `status` cannot be decided any more (null: it can). */
export function decisionRefusal(status: MerchantApplicationStatus | string): string | null {
  return status === 'SUBMITTED' ? null : `the application is already ${status}`;
}

/** The suspension rule (domain/tenancy/suspension.ts) applied to a merchant. */
export function nextMerchantStatus(
  status: string,
  hasWorkspace: boolean,
  change: SuspensionChange,
): { to?: 'ACTIVE' | 'SUSPENDED'; refusal?: string } {
  return nextSuspensionStatus('merchant', status, hasWorkspace, change);
}
