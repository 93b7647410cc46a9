// Structural checks of docker-compose.yml that `docker compose config` cannot make (CI has no Docker): every
// long-running service has a health check, one-shot services gate api and worker, secrets have no defaults,
// Temporal's gRPC port is not published, and temporal-setup.sh registers every search attribute the code uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const { services } = parse(text, { merge: true });
const problems = [];
const expect = (ok, message) => ok || problems.push(message);

const ONE_SHOT = ['temporal-schema', 'temporal-setup', 'migrate'];
for (const [name, service] of Object.entries(services)) {
  if (ONE_SHOT.includes(name)) expect(service.restart === 'no', `${name} is one-shot: restart 'no'`);
  else expect(service.healthcheck?.test && !service.healthcheck.disable, `${name} has no health check`);
}
for (const app of ['api', 'worker']) {
  for (const gate of ['migrate', 'temporal-setup']) {
    expect(
      services[app]?.depends_on?.[gate]?.condition === 'service_completed_successfully',
      `${app} must wait for ${gate} to complete`,
    );
  }
}
expect(
  services.temporal?.depends_on?.['temporal-schema']?.condition === 'service_completed_successfully',
  'temporal must wait for its schema',
);
expect(!String(services.temporal?.image).includes('auto-setup'), 'temporalio/auto-setup is deprecated');
expect(!services.temporal?.ports, "Temporal's ports must not be published");
for (const [name, service] of Object.entries(services)) {
  for (const port of service.ports ?? []) expect(!String(port).includes('7233'), `${name} publishes 7233`);
}
for (const secret of [
  'POSTGRES_PASSWORD',
  'PLATFORM_ADMIN_TOKEN',
  'MFA_ENCRYPTION_KEY',
  'CHANNEL_CALLBACK_SECRET',
]) {
  expect(!new RegExp(`\\$\\{${secret}:?-`).test(text), `${secret} has a default`);
  expect(new RegExp(`\\$\\{${secret}:\\?`).test(text), `${secret} is not required`);
}
const registered = readFileSync(join(root, 'scripts', 'docker', 'temporal-setup.sh'), 'utf8');
const used = readFileSync(join(root, 'workflows', 'search-attributes.ts'), 'utf8');
const flags = /SEARCH_ATTRIBUTE_FLAGS = \[([^\]]*)\]/.exec(used)?.[1] ?? '';
for (const [, name] of flags.matchAll(/'(\w+)=Keyword'/g)) {
  expect(new RegExp(`for name in [^\\n]*\\b${name}\\b`).test(registered), `temporal-setup.sh misses ${name}`);
}
expect(flags.length > 0, 'no SEARCH_ATTRIBUTE_FLAGS found');

if (problems.length) {
  console.error(`docker-compose.yml:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`docker-compose.yml: ${Object.keys(services).length} services pass the structural checks`);
