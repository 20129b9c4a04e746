import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. Only http(s); and, unless the operator allows private targets, never to
 * loopback, private, link-local (cloud metadata at 169.254.169.254), unique-local or unspecified
 * addresses, so a tenant cannot make the server probe its own network (SSRF).
 *
 * Known gap: the address is checked at resolution time and fetch resolves again when it connects, so a
 * DNS record that changes between the two (rebinding) is not caught; pinning the address in a custom
 * dispatcher would close it.
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
  ['::ffff:0:0', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

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

/** At send time: every address the host resolves to must be public. */
export async function checkTargetAddress(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostOf(url);
  const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
  if (addresses.some(({ address }) => isPrivateAddress(address)))
    throw new TargetRefused(`${host} resolves to a private, loopback or link-local address`);
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function isPrivateAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return PRIVATE.check(host, 'ipv4');
  if (family === 6) return PRIVATE.check(host, 'ipv6');
  return false;
}
