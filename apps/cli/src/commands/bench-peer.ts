// A Python training peer of `convzoo bench train` (--keras, --torch): one long-lived process that builds the spec
// once, then times a round of steps each time it is asked, so its rounds interleave with convzoo's backends in the
// same run (a busy machine slows every engine of a round alike). Optional and never run by tests or CI.
//
// Protocol: argv = [-c, SCRIPT, spec.json, batch]; the script prints one JSON line {"peer": "<versions>"} when built,
// then for each stdin line "WARMUP STEPS" prints {"ms": median wall ms, "cpuMs": median process CPU ms}.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { CliError } from '../command.js';

export interface PeerRound {
  ms: number;
  cpuMs: number;
}

export class PythonPeer {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  private constructor(
    /** 'keras' or 'torch': the row's name and the option's (--keras, --torch). */
    readonly name: string,
    private readonly python: string,
    private readonly child: ChildProcessWithoutNullStreams,
    reader: Interface,
    /** Versions and threads, as the script reports them. */
    public version = '',
  ) {
    this.lines = reader[Symbol.asyncIterator]();
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
  }

  static async start(name: string, python: string, script: string, specFile: string, batch: number): Promise<PythonPeer> {
    const child = spawn(python, ['-c', script, specFile, String(batch)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new PythonPeer(name, python, child, createInterface({ input: child.stdout }));
    const failed = new Promise<never>((_, reject) => child.on('error', (e) => reject(peer.error(e.message))));
    peer.version = (await Promise.race([peer.next(), failed])).peer as string;
    return peer;
  }

  /** One round: `warmup` untimed steps, then the medians of `steps` timed ones. */
  async round(warmup: number, steps: number): Promise<PeerRound> {
    this.child.stdin.write(`${warmup} ${steps}\n`);
    const r = await this.next();
    return { ms: r.ms as number, cpuMs: r.cpuMs as number };
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private async next(): Promise<Record<string, unknown>> {
    const { value, done } = await this.lines.next();
    if (done) {
      // stderr may still be arriving: wait for the process to end before quoting it.
      if (this.child.exitCode === null) await new Promise((r) => this.child.once('close', r));
      throw this.error(`exited (${this.child.exitCode ?? this.child.signalCode})`);
    }
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      throw this.error(`printed '${value.slice(0, 200)}', not JSON`);
    }
  }

  private error(what: string): CliError {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return new CliError(`--${this.name} ${this.python}: the ${this.name} peer failed: ${what}${tail ? `: ${tail}` : ''}`, 1);
  }
}
