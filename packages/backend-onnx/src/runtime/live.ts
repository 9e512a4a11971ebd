// What an ONNX backend holds, for memory() (leak checks): open sessions and the model bytes they were built from,
// and output tensors handed out by the runtime and not yet disposed. Releases run after queued work, so memory()
// waits for the ones in flight before it counts.
import type { BackendMemory } from '@convzoo/backend';
import type { OrtSession, OrtTensor } from './ort.js';

export class LiveResources {
  private sessions = 0;
  private bytes = 0;
  private tensors = 0;
  private readonly pending = new Set<Promise<unknown>>();

  /** Wraps a new session so its release() is counted. */
  session(s: OrtSession, modelBytes: number): OrtSession {
    this.sessions++;
    this.bytes += modelBytes;
    let released = false;
    return {
      inputNames: s.inputNames,
      outputNames: s.outputNames,
      run: async (feeds) => {
        const out = await s.run(feeds);
        this.tensors += Object.keys(out).length;
        return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, this.tensor(t)]));
      },
      release: async () => {
        if (released) return;
        released = true;
        await s.release();
        this.sessions--;
        this.bytes -= modelBytes;
      },
    };
  }

  /** The runtime's own tensor (training feeds it back as the next step's input), its dispose() counted. */
  private tensor(t: OrtTensor): OrtTensor {
    let disposed = false;
    const release = t.dispose?.bind(t);
    Object.defineProperty(t, 'dispose', {
      configurable: true,
      value: () => {
        if (disposed) return;
        disposed = true;
        this.tensors--;
        release?.();
      },
    });
    return t;
  }

  /** A release or other cleanup still running; memory() waits for it. */
  settle(p: Promise<unknown>): void {
    const done = p.catch(() => undefined).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  async memory(): Promise<BackendMemory> {
    while (this.pending.size) await Promise.all([...this.pending]);
    return { tensors: this.sessions + this.tensors, bytes: this.bytes };
  }

  get counts(): { sessions: number; tensors: number } {
    return { sessions: this.sessions, tensors: this.tensors };
  }
}
