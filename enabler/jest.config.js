/** @type {import('jest').Config} */
module.exports = require('../jest.preset.js')('enabler', __dirname);
