#!/usr/bin/env node
'use strict';
// `npx tally ...`: the CLI runs from TypeScript source through the same launcher as every entry point.
const path = require('node:path');
process.argv.splice(2, 0, path.join(__dirname, '..', 'cli', 'tally.ts'));
require('./ts.js');
