// The live training curves: per-step loss and accuracy (thin: each batch's own value; thick: a moving mean), and
// each epoch's validation value as a dot. Two panels on one canvas, redrawn at most once per animation frame.
interface Series {
  steps: number[];
  values: number[];
  val: { step: number; value: number }[];
}

const MEAN_OVER = 20;

export class TrainChart {
  private readonly loss: Series = { steps: [], values: [], val: [] };
  private readonly accuracy: Series = { steps: [], values: [], val: [] };
  private totalSteps = 1;
  private queued = false;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  reset(totalSteps: number): void {
    for (const s of [this.loss, this.accuracy]) {
      s.steps.length = 0;
      s.values.length = 0;
      s.val.length = 0;
    }
    this.totalSteps = Math.max(1, totalSteps);
    this.schedule();
  }

  step(step: number, loss: number, accuracy: number): void {
    this.loss.steps.push(step);
    this.loss.values.push(loss);
    this.accuracy.steps.push(step);
    this.accuracy.values.push(accuracy);
    this.schedule();
  }

  validation(step: number, loss: number | undefined, accuracy: number | undefined): void {
    if (loss !== undefined) this.loss.val.push({ step, value: loss });
    if (accuracy !== undefined) this.accuracy.val.push({ step, value: accuracy });
    this.schedule();
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  private draw(): void {
    const c = this.canvas;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const half = c.width / 2;
    const lossMax = Math.max(0.5, ...this.loss.values.slice(0, 5).filter(Number.isFinite));
    this.panel(ctx, 0, half, 'loss', this.loss, 0, Math.min(lossMax, 3));
    this.panel(ctx, half, half, 'accuracy', this.accuracy, 0, 1);
  }

  private panel(ctx: CanvasRenderingContext2D, x0: number, width: number, title: string, s: Series, lo: number, hi: number): void {
    const pad = { l: 44, r: 14, t: 24, b: 26 };
    const h = this.canvas.height;
    const px = (step: number) => x0 + pad.l + ((width - pad.l - pad.r) * step) / this.totalSteps;
    const py = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo));
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillStyle = '#5b6576';
    ctx.fillText(title, x0 + pad.l, 16);
    ctx.strokeStyle = '#dde3ec';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(x0 + pad.l, py(v));
      ctx.lineTo(x0 + width - pad.r, py(v));
      ctx.stroke();
      ctx.fillText(v.toFixed(hi - lo < 2 ? 2 : 1), x0 + 4, py(v) + 4);
    }
    ctx.fillText(`step ${s.steps.at(-1) ?? 0} of ${this.totalSteps}`, x0 + width - pad.r - 110, h - 6);
    const line = (values: number[], color: string, lineWidth: number) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth;
      ctx.beginPath();
      values.forEach((v, i) => (i ? ctx.lineTo(px(s.steps[i]!), py(v)) : ctx.moveTo(px(s.steps[i]!), py(v))));
      ctx.stroke();
    };
    line(s.values, '#2f6fde40', 1);
    let sum = 0;
    line(
      s.values.map((v, i) => {
        sum += v - (i >= MEAN_OVER ? s.values[i - MEAN_OVER]! : 0);
        return sum / Math.min(i + 1, MEAN_OVER);
      }),
      '#2f6fde',
      2,
    );
    ctx.fillStyle = '#d9480f';
    for (const p of s.val) {
      ctx.beginPath();
      ctx.arc(px(p.step), py(p.value), 4, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
