// One error type for everything a backend rejects at run time, with a code callers (CLI, tests) can branch on.
// The message always names what is wrong and where: the backend, the input, the parameter, the option.

export type BackendErrorCode =
  /** No backend registered under that name. */
  | 'unknown-backend'
  /** A registered backend that cannot start here (package missing, no adapter, no provider files). */
  | 'unavailable'
  /** `training` asked of a backend without autodiff. */
  | 'cannot-train'
  /** Two factories registered under one name. */
  | 'duplicate-backend'
  /** Model inputs of the wrong count, name, shape or with NaN/Infinity. */
  | 'input'
  /** Training targets of the wrong count or shape. */
  | 'target'
  /** Weight maps with unknown or missing names, wrong shapes or wrong data lengths. */
  | 'weights'
  /** A call on a disposed model. */
  | 'disposed'
  /** An invalid option (optimizer, loss, engine knob). */
  | 'config'
  /** The model at this batch size needs more memory than the backend has (checked before anything is allocated). */
  | 'out-of-memory';

export class BackendError extends Error {
  readonly code: BackendErrorCode;

  constructor(code: BackendErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}
