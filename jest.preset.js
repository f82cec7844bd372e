// Shared jest settings for every workspace. ts-jest transpiles only (types are checked by
// `npm run typecheck`); jose 6 is ESM-only and is pulled in by the payments SDK, so it is
// transformed too (jest runs CommonJS and cannot load an ESM-only package as is).
module.exports = (name, rootDir, extra = {}) => ({
  displayName: name,
  rootDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    'node_modules/jose/.+\\.js$': [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFilesAfterEnv: [require.resolve('./jest.setup.js')],
  ...extra,
});
