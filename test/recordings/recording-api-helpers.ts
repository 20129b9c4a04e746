import type { TestApp } from '../support/test-app';

/** Polls until `check` returns a value (media reports arrive asynchronously), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A customer with a user key and a media key. */
export async function customerWithMediaKey(api: TestApp, name: string) {
  const customer = await api.createCustomer(name);
  const media = await api.request('POST', `/v1/customers/${customer.customerId}/keys`, {
    body: { role: 'media' },
  });
  return { ...customer, mediaKey: media.body.key as string };
}

export async function recordingOf(api: TestApp, key: string, id: string, status: string) {
  return eventually(async () => {
    const response = await api.request('GET', `/v1/recordings/${id}`, { key });
    return response.body?.status === status ? response.body : null;
  });
}
