// Jest: unit tests beside the code (src/**/*.spec.ts), integration and e2e suites under test/.
// The global setup gives each run its own PostgreSQL database, Redis prefix, S3 server and SMTP
// receiver. Nest 12 is ESM-only: swc transforms @nestjs inside node_modules for Jest on Node 20.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Names of installed packages that are ESM-only ("type": "module"): Nest 12, cookie 2, … */
function esmPackages() {
  const store = join(__dirname, 'node_modules', '.pnpm');
  // Also CommonJS packages that load ESM with import(), which Jest cannot run without
  // --experimental-vm-modules: swc turns their import() into require().
  const names = new Set(['@nestjs', '@fastify/cookie']);
  for (const entry of readdirSync(store)) {
    const base = join(store, entry, 'node_modules');
    const at = entry.indexOf('@', 1);
    const name = (at > 0 ? entry.slice(0, at) : entry).replace('+', '/');
    try {
      const pkg = JSON.parse(readFileSync(join(base, name, 'package.json'), 'utf8'));
      if (pkg.type === 'module') names.add(name.replace(/[.]/g, '\\.'));
    } catch {
      // not a package folder (e.g. node_modules/.pnpm/node_modules)
    }
  }
  return [...names];
}
const ESM_PACKAGES = esmPackages();

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // ESM-only packages that Jest on Node 20 cannot require(): compile them with swc as well.
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm|${ESM_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30_000,
  maxWorkers: 1,
};
