// What activities are given: the ORM (a fresh EntityManager is forked per activity), config, logger.
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config';
import type { Logger } from '../domain/logger';

export interface ActivityDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  /** For activities that signal or start other workflows (e.g. channel callbacks). */
  temporal?: Client;
}

/** Runs `fn` in one transaction on a fresh EntityManager. */
export function inTransaction<T>(deps: ActivityDeps, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return deps.orm.em.fork().transactional(fn);
}
