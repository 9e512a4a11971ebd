// One error type for every broken spec, so callers (CLI, adapters, JSON loading) can say which layer broke which rule.

/** The rules `validate()` enforces; each SpecError carries exactly one. */
export type SpecRule =
  | 'format'
  | 'field'
  | 'duplicate-name'
  | 'unknown-kind'
  | 'unknown-input'
  | 'cycle'
  | 'topological-order'
  | 'arity'
  | 'model-inputs'
  | 'model-outputs'
  | 'non-positive'
  | 'input-rank'
  | 'kernel-too-large'
  | 'groups'
  | 'concat-mismatch'
  | 'add-mismatch'
  | 'dense-input-rank'
  | 'dropout-rate'
  /** A weight or layer output too large to allocate (limits.ts). */
  | 'too-large';

export interface SpecErrorInit {
  rule: SpecRule;
  /** The offending layer; null when the rule concerns the model as a whole (e.g. empty outputs). */
  layer: string | null;
  /** The model's name, when known. */
  model?: string;
  /** Where the spec came from (a file path), when loaded from JSON. */
  source?: string;
}

export class SpecError extends Error {
  readonly rule: SpecRule;
  readonly layer: string | null;
  readonly model: string | undefined;
  readonly source: string | undefined;
  /** The explanation without the location prefix. */
  readonly detail: string;

  constructor(detail: string, init: SpecErrorInit) {
    const where = [
      init.source,
      init.model !== undefined ? `model '${init.model}'` : undefined,
      init.layer !== null ? `layer '${init.layer}'` : undefined,
    ].filter((s) => s !== undefined);
    super(`${where.join(', ')}${where.length ? ': ' : ''}[${init.rule}] ${detail}`);
    this.name = 'SpecError';
    this.rule = init.rule;
    this.layer = init.layer;
    this.model = init.model;
    this.source = init.source;
    this.detail = detail;
  }

  /** The same error, located in a file. */
  withSource(source: string): SpecError {
    return new SpecError(this.detail, { rule: this.rule, layer: this.layer, model: this.model, source });
  }
}

/**
 * A value as it appears in an error: JSON, cut to `max` characters. Values read from files can be nested too deep for
 * JSON.stringify (a RangeError instead of the SpecError) or be megabytes long.
 */
export function describeValue(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[…nested too deep to print…]' : '{…nested too deep to print…}';
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
