#!/usr/bin/env node
// Committed (not dist/fetch-main.js) so `npm ci` links the bin before the first build: npm skips missing targets.
import '../dist/fetch-main.js';
