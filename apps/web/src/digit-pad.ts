// The drawing canvas: white ink on black like MNIST, read back as grey, made MNIST-style by @convzoo/datasets.
import { mnistStyleDigit, type MnistDigit } from '@convzoo/datasets/browser';

export class DigitPad {
  private drawing = false;
  private last: { x: number; y: number } | undefined;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drawing) this.stroke(this.point(e));
    });
    const end = () => {
      this.drawing = false;
      this.last = undefined;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** The 28x28 image the model sees (values 0..1). */
  digit(): MnistDigit {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4]!;
    return mnistStyleDigit({ width, height, channels: 1, data: grey });
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private stroke(p: { x: number; y: number }): void {
    const from = this.last ?? p;
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.canvas.width / 14;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.ctx.beginPath();
    this.ctx.moveTo(from.x, from.y);
    this.ctx.lineTo(p.x + 0.01, p.y);
    this.ctx.stroke();
    this.last = p;
    this.onChange();
  }
}

/** Paints the 28x28 model input onto a 28x28 canvas. */
export function showDigit(canvas: HTMLCanvasElement, data: Float32Array): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(data[i]! * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}
