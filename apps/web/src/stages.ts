// The first photo's staged progress: download (or cache read) -> verify -> build -> first run, each with its
// state and time, so no second of the wait goes unexplained.

export type StageId = 'download' | 'verify' | 'build' | 'run';
export type StageState = 'pending' | 'active' | 'done' | 'skipped' | 'failed';
export const STAGES: readonly StageId[] = ['download', 'verify', 'build', 'run'];

export interface StageEvent {
  stage: StageId;
  state: StageState;
  ms?: number;
}

const seconds = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

export class StageList {
  /** Every transition of the current load, in order (for tests: window.__convzoo.stageLog). */
  readonly log: StageEvent[] = [];
  private readonly rows = new Map<StageId, { li: HTMLLIElement; label: HTMLElement; detail: HTMLElement; time: HTMLElement }>();

  constructor(private readonly list: HTMLOListElement) {
    for (const stage of STAGES) {
      const li = document.createElement('li');
      li.dataset.testid = `stage-${stage}`;
      const label = document.createElement('span');
      label.className = 'stage-label';
      const detail = document.createElement('span');
      detail.className = 'stage-detail';
      const time = document.createElement('span');
      time.className = 'stage-time';
      li.append(label, detail, time);
      this.rows.set(stage, { li, label, detail, time });
      list.append(li);
    }
  }

  /** Starts a new load: every stage pending, with its label. */
  reset(labels: Record<StageId, string>): void {
    this.log.length = 0;
    this.list.hidden = false;
    for (const stage of STAGES) {
      const row = this.rows.get(stage)!;
      row.li.dataset.state = 'pending';
      row.label.textContent = labels[stage];
      row.detail.textContent = '';
      row.time.textContent = '';
    }
  }

  set(stage: StageId, state: StageState, detail?: string, ms?: number): void {
    const row = this.rows.get(stage)!;
    if (row.li.dataset.state !== state) this.log.push(ms === undefined ? { stage, state } : { stage, state, ms });
    row.li.dataset.state = state;
    if (detail !== undefined) row.detail.textContent = detail;
    row.time.textContent = ms === undefined ? '' : seconds(ms);
  }

  /** The stage that is running, if any (to mark it failed on an error). */
  active(): StageId | undefined {
    return STAGES.find((s) => this.rows.get(s)!.li.dataset.state === 'active');
  }
}

export { seconds };
