/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/jwt-mock', '<rootDir>/sandbox', '<rootDir>/processor', '<rootDir>/enabler'],
  // Global options (jest ignores these inside projects).
  testTimeout: 30000,
};
