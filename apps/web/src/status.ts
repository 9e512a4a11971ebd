// The status pill in the header and the one error banner under it. The pill's text is the test contract
// (`ready`, `busy`, `error: <message>`); it shows only the state word, so the header never reflows, and the
// message is shown once, in full, in the banner.

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};

type State = 'ready' | 'busy' | 'error';

function setPill(state: State, detail = ''): void {
  const pill = $('status');
  pill.dataset.state = state;
  const word = document.createElement('span');
  word.textContent = state;
  const rest = document.createElement('span');
  rest.className = 'detail';
  rest.textContent = detail;
  pill.replaceChildren(word, rest);
  pill.title = `${state}${detail}`;
}

export function setStatus(state: 'ready' | 'busy'): void {
  setPill(state);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function showError(e: unknown): void {
  const msg = errorMessage(e);
  setPill('error', `: ${msg}`);
  const banner = $('error');
  $('error-text').textContent = msg;
  banner.hidden = false;
}

export function clearError(): void {
  $('error').hidden = true;
}
