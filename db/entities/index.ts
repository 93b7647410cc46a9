// Every entity the ORM knows; each area adds its file here.
import { AuditLog } from './audit';
import { ChannelProduct } from './channels';
import { Membership, PendingCredential, Role, Session, User } from './identity';
import { Tenant, Workspace } from './tenancy';
import {
  EmailOutbox,
  Invitation,
  NotificationSettings,
  PasswordReset,
  WebhookAttempt,
  WebhookDelivery,
} from './messaging';
import { Event, WebhookEndpoint } from './events';
import { MfaChallenge, RecoveryCode, ThrottleCounter } from './security';
import {
  Deposit,
  FeeSchedule,
  TransferSecurity,
  IdempotencyRecord,
  LedgerAccount,
  LedgerEntry,
  LedgerTransaction,
  Transfer,
  TransferEvent,
  Wallet,
} from './ledger';
import { ChannelVerdict, SandboxBankPayout } from './payouts';
import { Merchant, MerchantApplication } from './merchants';
import { Consumer, OnboardingBatch, OnboardingBatchRow, Partner, Referral, ReferralCode } from './partners';

export const entities = [
  Tenant,
  Workspace,
  User,
  Role,
  Membership,
  Session,
  PendingCredential,
  AuditLog,
  ChannelProduct,
  Invitation,
  PasswordReset,
  EmailOutbox,
  NotificationSettings,
  Event,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  MfaChallenge,
  RecoveryCode,
  ThrottleCounter,
  Wallet,
  LedgerAccount,
  LedgerTransaction,
  LedgerEntry,
  Transfer,
  TransferEvent,
  FeeSchedule,
  TransferSecurity,
  IdempotencyRecord,
  Deposit,
  Partner,
  ReferralCode,
  Consumer,
  Referral,
  OnboardingBatch,
  OnboardingBatchRow,
  SandboxBankPayout,
  ChannelVerdict,
  Merchant,
  MerchantApplication,
];

export * from './audit';
export * from './channels';
export * from './identity';
export * from './tenancy';
export * from './messaging';
export * from './events';
export * from './security';
export * from './partners';
export * from './ledger';
export * from './payouts';
export * from './merchants';
