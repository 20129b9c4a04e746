import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isPrivateAddress, TargetRefused } from './outbound-target';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
/** The `lookup` option of `net.connect` (what `http.request` passes through to the socket). */
export type ConnectLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;
/** Resolves every address of a host; `dns.lookup` with `all: true`, or a fake in tests. */
export type ResolveAll = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolveAll: ResolveAll = (hostname, callback) =>
  dnsLookup(hostname, { all: true }, (error, addresses) => callback(error, addresses ?? []));

/**
 * DNS rebinding defence: the socket connects to the very addresses this lookup checked. Checking a host
 * first and letting the request resolve it again leaves a window in which a short-TTL record can switch from a
 * public address to 127.0.0.1 or 169.254.169.254; here there is only one resolution, and if any address of
 * it is private, loopback or link-local the connection is refused (unless private targets are allowed).
 */
export function safeLookup(allowPrivate: boolean, resolveAll: ResolveAll = systemResolveAll): ConnectLookup {
  return (hostname, options, callback) => {
    resolveAll(hostname, (error, resolved) => {
      if (error) return callback(error, []);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const addresses = family ? resolved.filter((a) => a.family === family) : resolved;
      if (addresses.length === 0) {
        const none = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        return callback(none, []);
      }
      if (!allowPrivate && addresses.some(({ address }) => isPrivateAddress(address)))
        return callback(
          new TargetRefused(`${hostname} resolves to a private, loopback or link-local address`),
          [],
        );
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
