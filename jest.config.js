// Four projects: unit (pure logic), integration (real Postgres/Redis/Docker), security (the
// bad-input catalogue, against the same real components), e2e (the platform started as `npm run
// up` starts it, driven through the CLI and HTTP).
const moduleNameMapper = {
  '^@wharf/contracts$': '<rootDir>/libs/contracts/index.ts',
  '^@wharf/platform/(.*)$': '<rootDir>/libs/platform/$1/index.ts',
  '^@wharf/([a-z-]+)$': '<rootDir>/libs/domain/$1/index.ts',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const base = { rootDir: __dirname, testEnvironment: 'node', moduleNameMapper, transform };

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
      ],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalTeardown: '<rootDir>/test/support/open-handles-report.ts',
    },
    {
      ...base,
      displayName: 'security',
      testMatch: ['<rootDir>/test/security/**/*.test.ts'],
      globalTeardown: '<rootDir>/test/support/open-handles-report.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    },
  ],
};
