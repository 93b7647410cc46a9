// IP address rules: CIDR lists (TRUSTED_PROXIES), the client behind trusted proxies, non-public address ranges.
import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` -> `10.0.0.1`; anything else unchanged (lower-cased, zone index dropped). */
export function normalizeAddress(address: string): string {
  const plain = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  return mapped ? mapped[1]! : plain;
}

function family(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

/** Parses `10.0.0.0/8, 192.168.1.7, fd00::/8`; throws naming the first bad entry. */
export function parseCidrList(list: string): BlockList {
  const blocks = new BlockList();
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [rawAddress, rawPrefix, extra] = entry.split('/');
    const address = normalizeAddress(rawAddress ?? '');
    const type = family(address);
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
    if (!type || extra !== undefined || !/^\d*$/.test(rawPrefix ?? '') || !(prefix >= 0 && prefix <= max)) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    blocks.addSubnet(address, prefix, type);
  }
  return blocks;
}

export function inList(list: BlockList, address: string): boolean {
  const plain = normalizeAddress(address);
  const type = family(plain);
  return type !== null && list.check(plain, type);
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then the X-Forwarded-For chain is
 * walked from the right (the entry our proxy added) past every trusted hop to the first untrusted address.
 * A malformed entry stops the walk at the last address we can vouch for.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: BlockList): string {
  let client = normalizeAddress(peer);
  if (!forwardedFor || !inList(trusted, client)) return client;
  const hops = forwardedFor.split(',').map(normalizeAddress).reverse();
  for (const hop of hops) {
    if (!family(hop)) break;
    client = hop;
    if (!inList(trusted, hop)) break;
  }
  return client;
}

/** Ranges that are not the public internet: private, loopback, link-local, CGNAT, ULA, multicast, reserved. */
const NON_PUBLIC = parseCidrList(
  [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
    '::/128',
    '::1/128',
    '64:ff9b::/96',
    '64:ff9b:1::/48',
    '100::/64',
    '2001:db8::/32',
    '2002::/16',
    'fc00::/7',
    'fe80::/10',
    'fec0::/10',
    'ff00::/8',
  ].join(','),
);

/** True for any address that is not a public unicast address (IPv4-mapped IPv6 judged as its IPv4). */
export function isNonPublicAddress(address: string): boolean {
  const plain = normalizeAddress(address);
  if (!family(plain)) return true;
  if (/^::ffff:/.test(plain) || /^::(\d+\.){3}\d+$/.test(plain)) return true;
  return inList(NON_PUBLIC, plain);
}
