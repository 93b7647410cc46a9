// Every workflow the worker runs; each new workflow file is exported here.
export * from './provision-tenant';
