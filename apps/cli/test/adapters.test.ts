// The shipped-adapter table (@convzoo/backend) against what the CLI really registers in Node.
import { listBackends, SHIPPED_ADAPTERS } from '@convzoo/backend';
import { describe, expect, it } from 'vitest';
import { registerBackends } from '../src/open-model.js';

describe('SHIPPED_ADAPTERS', () => {
  it('names every backend the CLI registers, and nothing else', () => {
    registerBackends();
    const listed = Object.values(SHIPPED_ADAPTERS).flatMap((a) => a.backends);
    expect(
      listBackends()
        .map((b) => b.name)
        .sort(),
    ).toEqual([...listed].sort());
    for (const a of Object.values(SHIPPED_ADAPTERS)) for (const b of a.browser) expect(a.backends).toContain(b);
  });
});
