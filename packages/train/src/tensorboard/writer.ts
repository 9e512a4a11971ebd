// An event file writer as TensorFlow's: `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2`, first record the
// file version, then one record per scalar, appended and flushed so TensorBoard can follow a running job.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileVersionEvent, scalarEvent } from './event.js';
import { frameRecord } from './record.js';

let fileCounter = 0;

export class EventFileWriter {
  readonly path: string;

  constructor(dir: string, now: () => number = () => Date.now() / 1000) {
    this.now = now;
    mkdirSync(dir, { recursive: true });
    const t = now();
    this.path = join(dir, `events.out.tfevents.${Math.floor(t)}.${hostname()}.${process.pid}.${fileCounter++}.v2`);
    writeFileSync(this.path, frameRecord(fileVersionEvent(t)));
  }

  private readonly now: () => number;

  scalar(tag: string, step: number, value: number): void {
    appendFileSync(this.path, frameRecord(scalarEvent(this.now(), step, tag, value)));
  }
}
