import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IS_PUBLIC, ROLES } from '../../src/common/auth/decorators';
import { PrismaService } from '../../src/modules/database';
import { apiTokenFor, createManager, createUser, signedIn } from '../helpers/factories';
import { PageClient } from '../helpers/page-client';
import { createTestApp } from '../helpers/test-app';

interface RouteInfo {
  method: string;
  path: string;
  roles?: string[];
  isPublic: boolean;
}

/** Every route of the running app, read from Nest's controller metadata (not a hand-written list). */
function routeTable(app: NestFastifyApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => object) | null;
      if (!ctrl) continue;
      const base =
        ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, ctrl) as string | string[]) ?? '')[0] ??
        '';
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = (ctrl.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub =
          ([] as string[]).concat(
            (Reflect.getMetadata(PATH_METADATA, handler) as string | string[]) ?? '',
          )[0] ?? '';
        const path = `/${[base, sub].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
        routes.push({
          method: RequestMethod[method],
          path,
          roles: reflector.getAllAndOverride<string[] | undefined>(ROLES, [handler, ctrl]),
          isPublic: !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, ctrl]),
        });
      }
    }
  }
  return routes;
}

describe('access to management routes (e2e, walking the route table)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('finds the management routes of both the pages and the API', () => {
    const managed = routeTable(app).filter((r) => r.roles?.includes('MANAGEMENT'));
    const paths = managed.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /users',
        'POST /users/:id/deactivate',
        'GET /audit',
        'GET /api/v1/users',
        'DELETE /api/v1/users/:id',
        'GET /api/v1/audit',
      ]),
    );
    expect(managed.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses a staff user on every management route (403), audits it, and changes nothing', async () => {
    const staff = await createUser(app);
    const target = await createManager(app, { name: 'Untouchable' });
    const browser = await signedIn(app, staff);
    await browser.get('/profile'); // a CSRF token for the posts
    const token = await apiTokenFor(app, staff);
    const prisma = app.get(PrismaService);
    const routes = routeTable(app).filter((r) => r.roles?.includes('MANAGEMENT'));

    for (const route of routes) {
      const url = route.path.replace(':id', target.id);
      let status: number;
      if (route.path.startsWith('/api/')) {
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
          payload:
            route.method === 'GET' || route.method === 'DELETE' ? undefined : { name: 'x', role: 'STAFF' },
        });
        status = res.statusCode;
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      } else {
        status =
          route.method === 'GET'
            ? (await browser.get(url)).status
            : (await browser.post(url, { name: 'x', role: 'STAFF' })).status;
      }
      expect(`${route.method} ${route.path} → ${status}`).toBe(`${route.method} ${route.path} → 403`);
    }
    const refused = await prisma.auditEvent.count({
      where: { actorId: staff.id, action: 'auth.access_refused' },
    });
    expect(refused).toBe(routes.length);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({
      name: 'Untouchable',
      status: 'ACTIVE',
    });
  });

  it('sends a signed-out visitor of any non-public page to sign in, and answers the API with 401', async () => {
    const guest = new PageClient(app);
    for (const route of routeTable(app).filter((r) => !r.isPublic && r.method === 'GET')) {
      const url = route.path.replace(':id', '00000000-0000-0000-0000-000000000000');
      if (route.path.startsWith('/api/')) {
        expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      } else {
        const res = await guest.get(url);
        expect(`${url} ${res.status} ${res.location}`).toMatch(
          new RegExp(`^${url.replace(/[/]/g, '\\/')} 303 \\/login`),
        );
      }
    }
  });
});
