// Every workflow the worker runs; each new workflow file is exported here.
export * from './provision-tenant';
export * from './provision-partner';
export * from './onboard-partners';
export * from './invitation';
export * from './password-reset';
export * from './notify-tenant';
export * from './execute-transfer';
export * from './simulate-sandbox-bank';
export * from './settle-late-verdict';
export * from './reconcile-payouts';
export * from './dispatch-event';
export * from './deliver-webhook';
export * from './sweep-events';
export * from './merchant-application';
export * from './purge-expired-rows';
