// Jepsen's bank workload over the public API: a tenant, partners with funded wallets (set up through the real
// provisioning, invitation and login flows), then concurrent clients sending INTERNAL and SANDBOX_BANK transfers,
// retrying with the same Idempotency-Key whenever the outcome is unknown (timeout, 5xx, connection refused).
import { randomUUID } from 'node:crypto';
import { PLATFORM_TOKEN } from './cluster';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the API, read field by field
type Json = any;

export const CURRENCIES = ['USD', 'EUR'] as const;
export const DEPOSIT = 1_000_000;

export interface WalletRef {
  id: string;
  currency: string;
  workspaceId: string;
  token: string;
}

export type TransferKind = 'INTERNAL' | 'BANK_OK' | 'BANK_REJECT' | 'BANK_TIMEOUT';

export interface KeyRecord {
  key: string;
  workspaceId: string;
  kind: TransferKind;
  currency: string;
  /** Every transfer ID an answer named (must be one). */
  ids: Set<string>;
  attempts: number;
  unknownOutcomes: number;
  /** 5xx answers by status and code (e.g. `503 SERVICE_UNAVAILABLE`), and the last unknown outcome. */
  errors: Record<string, number>;
  lastError?: string;
  replayedAfterSuccess: boolean;
  final: 'ACCEPTED' | 'REFUSED' | 'GAVE_UP';
  refusal?: string;
}

type Answer = { status: number; body: Json } | { status: 'UNKNOWN'; error: string };

async function request(
  baseUrl: () => string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; key?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  } catch (err) {
    return { status: 'UNKNOWN', error: err instanceof Error ? err.message : String(err) };
  }
}

/** Retries until a definite 2xx/4xx answer (setup must not give up on a restart). */
async function definite(send: () => Promise<Answer>, what: string): Promise<{ status: number; body: Json }> {
  for (let attempt = 1; attempt <= 120; attempt++) {
    const answer = await send();
    if (answer.status !== 'UNKNOWN' && answer.status < 500) return answer;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${what}: no definite answer`);
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

/** Tenant, partners (two wallets each, USD and EUR), activation by invitation, login, deposits. */
export async function setUp(
  baseUrl: () => string,
  walletCount: number,
): Promise<{ wallets: WalletRef[]; deposited: Record<string, number> }> {
  const run = randomUUID().slice(0, 8);
  const adminEmail = `chaos-admin-${run}@chaos.test`;
  const password = 'chaos-password-0123456789';
  const tenant = await definite(
    () =>
      request(baseUrl, 'POST', '/v1/platform/tenants', {
        token: PLATFORM_TOKEN,
        body: { name: `Chaos Bank ${run}`, adminEmail, adminName: 'Chaos Admin', adminPassword: password },
        timeoutMs: 60_000,
      }),
    'tenant',
  );
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const login = async (email: string) => {
    const res = await definite(
      () => request(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } }),
      'login',
    );
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const admin = await login(adminEmail);
  await definite(
    () =>
      request(baseUrl, 'PUT', '/v1/tenant/fees', {
        token: admin,
        body: {
          data: CURRENCIES.flatMap((currency) => [
            { channelProductCode: 'SANDBOX_BANK', currency, fixed: 25, percentBps: 10 },
            { channelProductCode: 'INTERNAL', currency, fixed: 5, percentBps: 0 },
          ]),
        },
      }),
    'fees',
  );
  const partners = Array.from({ length: Math.ceil(walletCount / CURRENCIES.length) }, (_, i) => i);
  const wallets: WalletRef[] = [];
  await inParallel(partners, 6, async (i) => {
    const email = `chaos-partner-${run}-${i}@chaos.test`;
    const created = await definite(
      () =>
        request(baseUrl, 'POST', '/v1/tenant/partners', {
          token: admin,
          body: {
            name: `Partner ${i}`,
            adminEmail: email,
            adminName: `Partner ${i}`,
            currencies: [...CURRENCIES],
          },
        }),
      'partner',
    );
    if (created.status !== 202) throw new Error(`partner: ${created.status} ${JSON.stringify(created.body)}`);
    let partner: Json;
    for (;;) {
      partner = (
        await definite(
          () => request(baseUrl, 'GET', `/v1/tenant/partners/${created.body.id}`, { token: admin }),
          'partner',
        )
      ).body;
      if (partner.status === 'ACTIVE') break;
      if (partner.status === 'FAILED')
        throw new Error(`partner provisioning failed: ${partner.failureReason}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    let token: string | undefined;
    for (let attempt = 0; !token && attempt < 200; attempt++) {
      const mail = await definite(
        () => request(baseUrl, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(email)}`),
        'outbox',
      );
      token = /token=([A-Za-z0-9_\-%.]+)/.exec(JSON.stringify(mail.body?.data ?? []))?.[1];
      if (!token) await new Promise((r) => setTimeout(r, 300));
    }
    if (!token) throw new Error(`no invitation mail for ${email}`);
    const accepted = await definite(
      () =>
        request(baseUrl, 'POST', '/v1/invitations/accept', {
          body: { token: decodeURIComponent(token!), name: `Partner ${i}`, password },
        }),
      'accept',
    );
    if (accepted.status !== 200 && accepted.status !== 400)
      throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    const partnerToken = await login(email);
    for (const w of partner.wallets as { id: string; currency: string }[]) {
      wallets.push({ id: w.id, currency: w.currency, workspaceId: partner.workspaceId, token: partnerToken });
    }
  });
  const deposited: Record<string, number> = {};
  await inParallel(wallets.slice(0, walletCount), 8, async (w) => {
    const key = randomUUID();
    const res = await definite(
      () =>
        request(baseUrl, 'POST', `/v1/tenant/wallets/${w.id}/deposits`, {
          token: admin,
          key,
          body: { amount: DEPOSIT },
        }),
      'deposit',
    );
    if (res.status !== 201) throw new Error(`deposit: ${res.status} ${JSON.stringify(res.body)}`);
    deposited[w.currency] = (deposited[w.currency] ?? 0) + DEPOSIT;
  });
  return { wallets: wallets.slice(0, walletCount), deposited };
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function kindOf(roll: number): TransferKind {
  if (roll < 0.35) return 'INTERNAL';
  if (roll < 0.8) return 'BANK_OK';
  if (roll < 0.9) return 'BANK_REJECT';
  return 'BANK_TIMEOUT';
}

const ACCOUNTS: Record<Exclude<TransferKind, 'INTERNAL'>, () => string> = {
  BANK_OK: () => `4${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
  BANK_REJECT: () => `000${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
  BANK_TIMEOUT: () => `999${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
};

/** A client keeps retrying an unknown outcome this long (the API answers each try within seconds). */
export const GIVE_UP_AFTER_MS = 10 * 60_000;

/** One transfer, retried with the same key until a definite answer; some are replayed after success. */
async function oneTransfer(
  baseUrl: () => string,
  wallets: WalletRef[],
  record: KeyRecord,
  body: unknown,
  source: WalletRef,
) {
  const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
  while (Date.now() < giveUpAt) {
    record.attempts += 1;
    const answer = await request(baseUrl, 'POST', '/v1/transfers', {
      token: source.token,
      key: record.key,
      body,
      timeoutMs: 20_000,
    });
    if (answer.status === 'UNKNOWN' || answer.status >= 500) {
      record.unknownOutcomes += 1;
      const error =
        answer.status === 'UNKNOWN' ? 'no answer' : `${answer.status} ${answer.body?.code ?? ''}`.trim();
      record.errors[error] = (record.errors[error] ?? 0) + 1;
      record.lastError =
        answer.status === 'UNKNOWN' ? answer.error : `${error}: ${String(answer.body?.detail ?? '')}`;
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1_000));
      continue;
    }
    if (answer.status === 201) {
      record.ids.add(answer.body.id);
      record.final = 'ACCEPTED';
      return;
    }
    record.final = 'REFUSED';
    record.refusal = `${answer.status} ${answer.body?.code ?? ''}`;
    return;
  }
  void wallets;
}

/** `clients` concurrent clients send `total` transfers (fewer when time runs out); `progress` counts finished ones. */
export async function runClients(
  baseUrl: () => string,
  wallets: WalletRef[],
  total: number,
  clients: number,
  progress: { done: number },
  /** No new transfer is started after this moment (epoch ms). */
  stopStartingAt = Infinity,
): Promise<KeyRecord[]> {
  const records: KeyRecord[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && Date.now() < stopStartingAt) {
        next += 1;
        const source = pick(wallets);
        const kind = kindOf(Math.random());
        const amount = 1 + Math.floor(Math.random() * 5_000);
        const destination =
          kind === 'INTERNAL'
            ? {
                type: 'WALLET',
                walletId: pick(wallets.filter((w) => w.currency === source.currency && w.id !== source.id))
                  .id,
              }
            : {
                type: 'CHANNEL',
                channelProductCode: 'SANDBOX_BANK',
                beneficiary: { name: 'Chaos Beneficiary', accountNumber: ACCOUNTS[kind]() },
              };
        const body = { sourceWalletId: source.id, amount, currency: source.currency, destination };
        const record: KeyRecord = {
          key: randomUUID(),
          workspaceId: source.workspaceId,
          kind,
          currency: source.currency,
          ids: new Set(),
          attempts: 0,
          unknownOutcomes: 0,
          errors: {},
          replayedAfterSuccess: false,
          final: 'GAVE_UP',
        };
        records.push(record);
        await oneTransfer(baseUrl, wallets, record, body, source);
        if (record.final === 'ACCEPTED' && Math.random() < 0.1) {
          record.replayedAfterSuccess = true;
          await oneTransfer(baseUrl, wallets, record, body, source);
        }
        progress.done += 1;
      }
    }),
  );
  return records;
}
