/** @type {import('jest').Config} */
const preset = require('../jest.preset.js')('enabler', __dirname);
// The library is ESM for bundlers; jest runs it as CommonJS.
preset.transform['^.+\\.ts$'] = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }];
module.exports = preset;
