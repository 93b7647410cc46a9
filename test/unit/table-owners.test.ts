// Each table has exactly one writer: the store of its area (ARCHITECTURE.md, "Who writes which table").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CODE_DIRS = ['api', 'domain', 'activities', 'workflows', 'worker', 'db/store'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Entity constant name -> table name, read from db/entities. */
function entityTables(): Map<string, string> {
  const tables = new Map<string, string>();
  for (const file of tsFiles(join(ROOT, 'db', 'entities'))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(
      /export const (\w+) = defineEntity\(\{\s*name: '\w+',\s*tableName: '(\w+)'/g,
    ))
      tables.set(m[1]!, m[2]!);
  }
  return tables;
}

/** Table -> the files that write it (SQL insert/update/delete, or an EntityManager write naming its entity). */
function writersByTable(): Map<string, Set<string>> {
  const entities = entityTables();
  const tables = new Set(entities.values());
  const writers = new Map<string, Set<string>>();
  const add = (table: string, file: string) => {
    if (!writers.has(table)) writers.set(table, new Set());
    writers.get(table)!.add(relative(ROOT, file));
  };
  for (const file of CODE_DIRS.flatMap((d) => tsFiles(join(ROOT, d)))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/\b(?:insert into|update|delete from)\s+"?(\w+)"?/gi))
      if (tables.has(m[1]!)) add(m[1]!, file);
    // An entity chosen from a map (`const ENTITIES = { partner: Partner, ... }`, then `em.create(ENTITIES[kind], ...)`)
    // counts as a write of every entity in the map.
    const maps = new Map<string, string[]>();
    for (const m of source.matchAll(/const (\w+) = \{([^}]*)\}/g))
      maps.set(
        m[1]!,
        [...m[2]!.matchAll(/:\s*(\w+)/g)].map((x) => x[1]!),
      );
    const emWrite =
      /\.(?:nativeUpdate|nativeDelete|nativeInsert|insert|insertMany|create|upsert|upsertMany)\(\s*(\w+)/g;
    for (const m of source.matchAll(emWrite)) {
      for (const name of [m[1]!, ...(maps.get(m[1]!) ?? [])]) {
        const table = entities.get(name);
        if (table) add(table, file);
      }
    }
  }
  return writers;
}

describe('table ownership', () => {
  it('finds the entities (the scan itself works)', () => {
    expect(entityTables().size).toBeGreaterThan(30);
    expect(writersByTable().get('transfer')).toEqual(new Set(['db/store/transfers.ts']));
    // Partners and merchants are written through one entity map by kind.
    for (const table of ['partner', 'merchant'])
      expect(writersByTable().get(table)).toEqual(new Set(['db/store/workspace-owners.ts']));
  });

  it('every table is written by exactly one module, and it is a store', () => {
    const offenders = [...writersByTable()]
      .filter(([, files]) => files.size !== 1 || ![...files][0]!.startsWith('db/store/'))
      .map(([table, files]) => `${table}: ${[...files].join(', ')}`);
    expect(offenders).toEqual([]);
  });
});
