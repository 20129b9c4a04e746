import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. Only http(s); and, unless the operator allows private targets, never to
 * loopback, private, link-local (cloud metadata at 169.254.169.254), unique-local or unspecified
 * addresses, so a tenant cannot make the server probe its own network (SSRF).
 *
 * Host names are checked where the socket connects (`pinned-lookup.ts`): the address checked is the address
 * used, so a DNS record that changes between a check and the connection (rebinding) cannot slip through.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');
// No `::ffff:0:0/96` rule: BlockList already checks IPv4-mapped IPv6 addresses against the IPv4 rules, and
// such a rule would match every IPv4 address (it once refused all public IPv4 targets).

export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

/** Syntax and scheme, plus literal addresses and `localhost`: checked when an endpoint is saved. */
export function checkTargetUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetRefused('url must use http or https');
  if (url.username || url.password) throw new TargetRefused('url must not carry credentials');
  const host = hostOf(url);
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)))
    throw new TargetRefused('url points to a private, loopback or link-local address');
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export function isPrivateAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return PRIVATE.check(host, 'ipv4');
  if (family === 6) return PRIVATE.check(host, 'ipv6');
  return false;
}
