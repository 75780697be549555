#!/usr/bin/env node
// Runs a TypeScript entry point of this repo without a build step: @swc-node/register compiles on
// require (with decorator metadata, which NestJS dependency injection needs) and resolves the
// tsconfig path aliases, so services, the CLI and tools all run the same source the tests run.
'use strict';
const path = require('node:path');
const Module = require('node:module');
const root = path.resolve(__dirname, '..', '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.json');
const [, , entry, ...args] = process.argv;
if (!entry) {
  console.error('usage: node tools/bin/ts.js <file.ts> [args...]');
  process.exit(2);
}
require('@swc-node/register');
// runMain loads the entry as the main module, so `require.main === module` holds inside it.
process.argv = [process.argv[0], path.resolve(entry), ...args];
Module.runMain();
