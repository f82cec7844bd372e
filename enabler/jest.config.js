/** @type {import('jest').Config} */
module.exports = { ...require('../jest.preset.js')('enabler', __dirname), testTimeout: 30000 };
