// The Teach section's photos: a file, a dropped image or a camera frame becomes the backbone's input by its
// transforms (ResNet50's: the weights entry's, as the photo section and `convzoo finetune` prepare theirs), with a
// thumbnail of what the model sees; the source is kept to prepare it again for another backbone. The camera is optional: the button exists only where the browser has getUserMedia.
import type { Tensor } from '@convzoo/backend';
import type { ImageTransforms } from '@convzoo/image/browser';
import { decodePhoto, preparePhoto } from './images.js';

export interface TeachPhoto {
  name: string;
  /** The model input [1, h, w, 3], the recipe applied. */
  input: Tensor;
  /** The crop the model sees, as pixels to draw. */
  view: ImageData;
  /** The file (decoded again when needed), or the camera frame. */
  source: Blob | ImageData;
  /** The transforms `input` was made with. */
  transforms: ImageTransforms;
}

function viewOf(rgb: Tensor): ImageData {
  const [h, w] = [rgb.shape.at(-3)!, rgb.shape.at(-2)!];
  const out = new ImageData(w, h);
  for (let i = 0; i < w * h; i++) out.data.set([rgb.data[i * 3]!, rgb.data[i * 3 + 1]!, rgb.data[i * 3 + 2]!, 255], i * 4);
  return out;
}

function photoFromPixels(img: ImageData, name: string, transforms: ImageTransforms, source: Blob | ImageData): TeachPhoto {
  const prepared = preparePhoto(img, transforms);
  return { name, input: prepared.input, view: viewOf(prepared.rgb), source, transforms };
}

async function photoFromBlob(blob: Blob, name: string, transforms: ImageTransforms): Promise<TeachPhoto> {
  return photoFromPixels(await decodePhoto(blob, name), name, transforms, blob);
}

/** `p` as another backbone's input (its source decoded again). */
export async function preparedFor(p: TeachPhoto, transforms: ImageTransforms): Promise<TeachPhoto> {
  if (p.transforms === transforms) return p;
  return p.source instanceof ImageData ? photoFromPixels(p.source, p.name, transforms, p.source) : photoFromBlob(p.source, p.name, transforms);
}

/**
 * Files as photos, in order; the ones that are not decodable images are named, not silently dropped: the good
 * ones are returned with the names of the rest.
 */
export async function photosFromFiles(files: Iterable<File>, transforms: ImageTransforms): Promise<{ photos: TeachPhoto[]; refused: string[] }> {
  const photos: TeachPhoto[] = [];
  const refused: string[] = [];
  for (const f of files) {
    try {
      photos.push(await photoFromBlob(f, f.name, transforms));
    } catch (e) {
      refused.push((e as Error).message);
    }
  }
  return { photos, refused };
}

/** A small canvas showing what the model sees. */
export function thumbnail(p: TeachPhoto, size = 56): HTMLCanvasElement {
  const full = document.createElement('canvas');
  full.width = p.view.width;
  full.height = p.view.height;
  full.getContext('2d')!.putImageData(p.view, 0, 0);
  const c = document.createElement('canvas');
  c.width = c.height = size;
  c.title = p.name;
  c.getContext('2d')!.drawImage(full, 0, 0, size, size);
  return c;
}

/** The camera, where the browser has one: a live preview and a frame grabber. */
export class Camera {
  private stream: MediaStream | undefined;
  private frames = 0;

  constructor(private readonly video: HTMLVideoElement) {}

  static available(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  get open(): boolean {
    return this.stream !== undefined;
  }

  async start(): Promise<void> {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
      throw new Error(`the camera could not be opened (${(e as Error).name}: ${(e as Error).message}); add photos from files instead`);
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.hidden = false;
    await this.video.play();
  }

  stop(): void {
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = undefined;
    this.video.srcObject = null;
    this.video.hidden = true;
  }

  /** The current frame as a photo. */
  capture(transforms: ImageTransforms): TeachPhoto {
    const { videoWidth: w, videoHeight: h } = this.video;
    if (!this.stream || !w || !h) throw new Error('the camera gives no picture yet; wait a moment and capture again');
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(this.video, 0, 0);
    const frame = ctx.getImageData(0, 0, w, h);
    return photoFromPixels(frame, `camera-${++this.frames}`, transforms, frame);
  }
}
