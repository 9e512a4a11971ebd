import { packageTestConfig } from '../../vitest.shared.js';

// Built dist only (no 'source' condition): the tests check what users install and what the page ships.
export default packageTestConfig({ source: false, testTimeout: 240_000 });
