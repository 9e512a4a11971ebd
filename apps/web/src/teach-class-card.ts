// One class of the Teach section: its name, photo count, file input (its box is a drop zone too), the camera's
// capture button (shown while the camera is open) and the thumbnails of its photos.
export interface ClassCard {
  card: HTMLElement;
  count: HTMLElement;
  thumbs: HTMLElement;
  input: HTMLInputElement;
  capture: HTMLButtonElement;
}

/** The card of class `i` (its data-testids end in -i). */
export function classCard(name: string, i: number, cameraOpen: boolean): ClassCard {
  const card = document.createElement('div');
  card.className = 'teach-class drop';
  card.dataset.testid = `teach-class-${i}`;
  const head = document.createElement('div');
  head.className = 'teach-class-head';
  const title = document.createElement('b');
  title.textContent = name;
  const count = document.createElement('span');
  count.className = 'teach-count';
  count.dataset.testid = `teach-count-${i}`;
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = 'image/jpeg,image/png';
  input.dataset.testid = `teach-files-${i}`;
  input.setAttribute('aria-label', `photos of ${name}`);
  const capture = document.createElement('button');
  capture.type = 'button';
  capture.textContent = 'capture';
  capture.className = 'teach-capture';
  capture.dataset.testid = `teach-capture-${i}`;
  capture.hidden = !cameraOpen;
  head.append(title, count, capture);
  const thumbs = document.createElement('div');
  thumbs.className = 'teach-thumbs';
  card.append(head, input, thumbs);
  return { card, count, thumbs, input, capture };
}
