// Tests are picked by suffix: *.spec.ts (pure unit), *.int-spec.ts (stores, projections, processes),
// *.api-spec.ts (real HTTP against a started app). swc transpiles; `npm run typecheck` type-checks.
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
// content-disposition (under @fastify/static, for the OpenAPI UI) ships ESM only: swc turns it into CommonJS.
const transform = { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] };
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];
const common = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{src,test}/**/*.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/test/**/*.int-spec.ts'] },
    { ...common, displayName: 'api', testMatch: ['<rootDir>/test/**/*.api-spec.ts'] },
  ],
};
