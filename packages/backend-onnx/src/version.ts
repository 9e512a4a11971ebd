// Written into every exported model's metadata; test/version.test.ts keeps it equal to package.json.
export const CONVZOO_VERSION = '0.1.0';
