import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from '../../src/http/idempotency/idempotency.interceptor';
import { TestApp } from '../support/test-app';

/**
 * Idempotency-Key is bound per route (`@Idempotent()`), not globally, so reads skip the interceptor
 * pipeline. This keeps a new mutating route from forgetting it: every POST, PUT, PATCH and DELETE of the
 * app must carry it, on the method or on its controller, and no GET does.
 */
describe('Idempotency-Key on every mutating route', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await TestApp.start();
  });
  afterAll(() => api.close());

  it('binds the idempotency interceptor to each mutation and to no read', () => {
    const mutations = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE];
    const missing: string[] = [];
    const onReads: string[] = [];
    let seen = 0;
    for (const module of api.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as unknown as { prototype: Record<string, unknown>; name: string };
        if (!type?.prototype) continue;
        const onClass: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, type) ?? [];
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = type.prototype[name];
          if (typeof handler !== 'function') continue;
          const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
          if (method === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          seen++;
          const bound = [...onClass, ...(Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? [])].includes(
            IdempotencyInterceptor,
          );
          const route = `${RequestMethod[method]} ${type.name}.${name}`;
          if (mutations.includes(method) && !bound) missing.push(route);
          if (method === RequestMethod.GET && bound) onReads.push(route);
        }
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(missing).toEqual([]);
    expect(onReads).toEqual([]);
  });
});
