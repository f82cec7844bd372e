/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/jwt-mock', '<rootDir>/sandbox', '<rootDir>/processor', '<rootDir>/enabler'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
