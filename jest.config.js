const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Most suites wait on child processes (sandbox, jwt-mock, processors) rather than compute, so one
  // worker more than the processors keeps the machine busy; jest's default (one fewer) ran the whole
  // suite in one worker on two cores (301 s; 189 s with three). At most four: each worker's world
  // spawns its own services.
  maxWorkers: Math.min(4, availableParallelism() + 1),
  projects: ['<rootDir>/jwt-mock', '<rootDir>/sandbox', '<rootDir>/processor', '<rootDir>/enabler'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
