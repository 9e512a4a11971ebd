// Node-host facts. The built ESM/CJS output is exercised by tests/installed (doctor's stderr stays empty).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ortNodeBinaryDir, quietWaylandProbe } from '../src/runtime/node-env.js';

describe('node-env', () => {
  it("finds onnxruntime-node's binary folder", async () => {
    const dir = await ortNodeBinaryDir();
    expect(existsSync(join(dir, 'onnxruntime_binding.node'))).toBe(true);
  });

  it('keeps libwayland quiet only where there is no Wayland session to find', () => {
    const bare: NodeJS.ProcessEnv = {};
    quietWaylandProbe(bare);
    expect(bare.WAYLAND_DISPLAY).toMatch(/^\//); // absolute: libwayland skips XDG_RUNTIME_DIR, finds nothing, says nothing
    const session: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: '/run/user/1000' };
    quietWaylandProbe(session);
    expect(session.WAYLAND_DISPLAY).toBeUndefined();
    const named: NodeJS.ProcessEnv = { WAYLAND_DISPLAY: 'wayland-1' };
    quietWaylandProbe(named);
    expect(named.WAYLAND_DISPLAY).toBe('wayland-1');
  });
});
