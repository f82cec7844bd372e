/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/jwt-mock', '<rootDir>/sandbox', '<rootDir>/processor', '<rootDir>/enabler'],
  // Global options (jest ignores these inside projects).
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
