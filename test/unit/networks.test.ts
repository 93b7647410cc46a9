import { describe, expect, it } from 'vitest';
import { clientAddress, isNonPublicAddress, parseCidrList } from '../../domain/networks';
import { loadConfig } from '../../domain/config';

describe('TRUSTED_PROXIES', () => {
  const trusted = parseCidrList('10.0.0.0/8, 127.0.0.1, fd00::/8');

  it('believes X-Forwarded-For only from a trusted peer, walking past trusted hops from the right', () => {
    expect(clientAddress('10.1.2.3', '203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.4, 10.9.9.9', trusted)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', '6.6.6.6, 198.51.100.4, 10.2.2.2', trusted)).toBe('198.51.100.4');
    expect(clientAddress('fd00::5', '2001:db8::7', trusted)).toBe('2001:db8::7');
    expect(clientAddress('192.0.2.50', '203.0.113.9', trusted)).toBe('192.0.2.50');
    expect(clientAddress('::ffff:192.0.2.50', undefined, trusted)).toBe('192.0.2.50');
    expect(clientAddress('10.1.2.3', 'not-an-ip, 10.2.2.2', trusted)).toBe('10.2.2.2');
    expect(clientAddress('10.1.2.3', '203.0.113.9', parseCidrList(''))).toBe('10.1.2.3');
  });

  it('is validated at start-up, naming the variable', () => {
    const base = { DATABASE_URL: 'postgres://x@h/db' };
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])
      expect(() => loadConfig({ ...base, TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES/);
    expect(
      loadConfig({ ...base, TRUSTED_PROXIES: '10.0.0.0/8,::1' }).TRUSTED_PROXY_LIST.check('10.3.3.3'),
    ).toBe(true);
  });
});

describe('non-public addresses (webhook targets)', () => {
  it('refuses private, loopback, link-local, ULA, mapped and reserved addresses', () => {
    for (const address of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fe80::1%eth0',
      'fd12:3456::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '224.0.0.1',
      'not an address',
    ])
      expect(isNonPublicAddress(address), address).toBe(true);
  });

  it('accepts public unicast addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isNonPublicAddress(address), address).toBe(false);
  });
});
