// Issue 28 ("What a newcomer meets"): one table of command x mistake -> exit code and message fragment, so the same
// fault gives the same code and the same kind of message in every command (the table in apps/cli/README.md).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getModel, specToJSON } from '@convzoo/models';
import { POINTER_FILE, readPointer } from '@convzoo/train';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { version } from '../src/cli.js';
import { claimOut } from '../src/train-run.js';
import { cli } from './cli-runner.js';
import { scratch, smallMnist } from './train-fixtures.js';

const photo = fileURLToPath(new URL('../fixtures/photos/coffee.png', import.meta.url));
const work = scratch();
const missing = join(work, 'missing');
const emptyDir = join(work, 'empty');
mkdirSync(emptyDir);
const brokenSpec = join(work, 'broken.json');
writeFileSync(brokenSpec, specToJSON(getModel('lenet')).replace('"kind": "flatten"', '"kind": "flattn"'));
const badInput = join(work, 'bad.bin');
writeFileSync(badInput, Buffer.from(new Float32Array(100).buffer));
const out = join(work, 'o.onnx');
writeFileSync(join(work, 'bad.onnx'), 'not protobuf');

type Mistake =
  | 'unknown option'
  | 'option without its value'
  | 'unknown backend'
  | 'missing path'
  | 'bad data in a file'
  | 'bad --input shape'
  | '--input given a data file'
  | 'output in use';

/** [command, mistake, argv, exit code, what stderr says]. Exit 2: the command line is wrong; 1: the data or the run. */
const TABLE: [string, Mistake, string[], 1 | 2, RegExp][] = [
  ['list', 'unknown option', ['list', '--jsn'], 2, /Unknown option '--jsn' \(did you mean '--json'\?\)/],
  ['summary', 'unknown option', ['summary', 'lenet', '--inptu', '8x8x1'], 2, /Unknown option '--inptu' \(did you mean '--input'\?\)/],
  ['train', 'unknown option', ['train', '--epoch', '3'], 2, /Unknown option '--epoch' \(did you mean '--epochs'\?\)/],
  ['finetune', 'unknown option', ['finetune', 'resnet50', '--epoch', '3'], 2, /Unknown option '--epoch' \(did you mean '--epochs'\?\)/],
  ['eval', 'unknown option', ['eval', work, '--bathc-size', '3'], 2, /Unknown option '--bathc-size' \(did you mean '--batch-size'\?\)/],
  ['export', 'unknown option', ['export', 'lenet', '--fromat', 'onnx'], 2, /Unknown option '--fromat' \(did you mean '--format'\?\)/],
  ['classify', 'unknown option', ['classify', photo, '--tpo', '3'], 2, /Unknown option '--tpo' \(did you mean '--top'\?\)/],
  ['bench', 'unknown option', ['bench', 'train', '--step', '3'], 2, /Unknown option '--step' \(did you mean '--steps'\?\)/],
  ['doctor', 'unknown option', ['doctor', '--modle', 'lenet'], 2, /Unknown option '--modle' \(did you mean '--model'\?\)/],
  ['experiment', 'unknown option', ['experiment', 'degradation', '--net', 'plain20'], 2, /Unknown option '--net' \(did you mean '--nets'\?\)/],
  ['compare', 'unknown option', ['compare', 'lenet', '--backend', 'tfjs-cpu,onnx-cpu'], 2, /Unknown option '--backend' \(did you mean '--backends'\?\)/],
  ['import', 'unknown option', ['import', 'm.onnx', '--overwirte'], 2, /Unknown option '--overwirte' \(did you mean '--overwrite'\?\)/],
  ['export', 'option without its value', ['export', 'lenet', '-o'], 2, /-o\/--output needs a value \(convzoo export --help/],
  ['train', 'option without its value', ['train', '--epochs'], 2, /--epochs needs a value/],
  ['doctor', 'option without its value', ['doctor', '--json=yes'], 2, /--json is a switch and takes no value/],

  ['train', 'unknown backend', ['train', '--backend', 'onnx-cup'], 2, /--backend onnx-cup: unknown backend 'onnx-cup' \(did you mean 'onnx-cpu'\?\)/],
  ['eval', 'unknown backend', ['eval', emptyDir, '--backend', 'onnx-cup'], 2, /--backend onnx-cup: unknown backend 'onnx-cup' \(did you mean 'onnx-cpu'\?\)/],
  [
    'classify',
    'unknown backend',
    ['classify', photo, '--backend', 'tfjs-wsam'],
    2,
    /--backend tfjs-wsam: unknown backend 'tfjs-wsam' \(did you mean 'tfjs-wasm'\?\)/,
  ],
  ['bench', 'unknown backend', ['bench', 'train', '--backend', 'onnx-cpu,onnx-cup'], 2, /--backend onnx-cup: .*\(did you mean 'onnx-cpu'\?\)/],
  ['experiment', 'unknown backend', ['experiment', 'degradation', '--backend', 'onnx-cup', '--out', work], 2, /--backend onnx-cup: .*'onnx-cpu'/],
  [
    'compare',
    'unknown backend',
    ['compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cup'],
    2,
    /--backends onnx-cup: unknown backend 'onnx-cup' \(did you mean 'onnx-cpu'\?\)/,
  ],

  ['summary', 'missing path', ['summary', join(missing, 'net.json')], 2, /cannot read spec file/],
  ['export', 'missing path', ['export', join(missing, 'net.json'), '-o', out], 2, /cannot read spec file/],
  [
    'compare',
    'missing path',
    ['compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input-file', join(missing, 'x.bin')],
    2,
    /--input-file .*: no such file/,
  ],
  ['eval', 'missing path', ['eval', missing], 2, /no such checkpoint directory or Keras file/],
  ['import', 'missing path', ['import', join(missing, 'm.onnx'), '-o', work], 2, /no such file: .*m\.onnx/],
  [
    'import',
    'bad data in a file',
    ['import', join(work, 'bad.onnx'), '-o', join(work, 'imported')],
    1,
    /bad\.onnx: importOnnx: the bytes are not an ONNX model/,
  ],
  ['classify', 'missing path', ['classify', join(missing, 'cat.jpg')], 2, /no such file or folder/],
  ['train', 'missing path', ['train', '--data-dir', missing], 2, /--data-dir .*missing: no such directory/],
  ['finetune', 'missing path', ['finetune', 'resnet50', '--data-dir', missing], 2, /--data-dir .*missing: no such directory/],
  ['train', 'missing path', ['train', '--resume', '--out', missing], 2, /--resume: checkpoint directory .* does not exist/],

  ['summary', 'bad data in a file', ['summary', brokenSpec], 1, /broken\.json/],
  ['export', 'bad data in a file', ['export', brokenSpec, '-o', out], 1, /broken\.json/],
  ['compare', 'bad data in a file', ['compare', brokenSpec, '--backends', 'tfjs-cpu,onnx-cpu'], 1, /broken\.json/],
  ['compare', 'bad data in a file', ['compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input-file', badInput], 1, /100 values is not a whole number/],
  ['eval', 'bad data in a file', ['eval', emptyDir], 1, /holds no checkpoint|checkpoint\.json/],
  ['export', 'bad data in a file', ['export', emptyDir, '-o', out], 1, /holds no checkpoint|checkpoint\.json/],
  ['classify', 'bad data in a file', ['classify', emptyDir], 1, /holds no .*files/],
  ['train', 'bad data in a file', ['train', '--resume', '--out', emptyDir], 1, /--resume: .*empty/],

  ['summary', 'bad --input shape', ['summary', 'lenet', '--input', '28x28'], 2, /--input must be HxWxC/],
  ['export', 'bad --input shape', ['export', 'lenet', '--input', 'abc', '-o', out], 2, /--input must be HxWxC/],
  ['train', 'bad --input shape', ['train', '--input', 'abc', '--data-dir', missing], 2, /--input must be HxWxC/],
  ['doctor', 'bad --input shape', ['doctor', '--model', 'lenet', '--input', 'abc'], 2, /--input must be HxWxC/],
  ['compare', 'bad --input shape', ['compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input', 'abc'], 2, /--input must be HxWxC/],
  ['compare', '--input given a data file', ['compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input', badInput], 2, /use --input-file .*bad\.bin/],
  ['compare', '--input given a data file', ['compare', 'vgg11', '--backends', 'tfjs-cpu,onnx-cpu', '--input', 'x.f32'], 2, /use --input-file x\.f32/],

  ['train', 'output in use', ['train', '--resume', '--overwrite'], 2, /--resume continues .* --overwrite replaces it: give one/],
];

describe('one table: command x mistake -> exit code and message', () => {
  it.each(TABLE)('%s, %s: %j exits %i', async (_command, _mistake, argv, code, says) => {
    const r = await cli(...argv);
    expect({ code: r.code, err: r.err }).toEqual({ code, err: expect.stringMatching(says) });
    // One line naming the command, no stack trace, no usage dump.
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`^convzoo ${argv[0]}: `));
  });

  it('covers every command for an unknown option, and the mistakes shared by several commands in each of them', () => {
    const named = (m: Mistake) => new Set(TABLE.filter((row) => row[1] === m).map((row) => row[0]));
    expect(named('unknown option')).toEqual(new Set(commands.map((c) => c.name)));
    expect(named('unknown backend')).toEqual(new Set(['train', 'eval', 'classify', 'bench', 'experiment', 'compare']));
    expect(named('bad --input shape')).toEqual(new Set(['summary', 'export', 'train', 'doctor', 'compare']));
  });
});

describe('--input is a shape HxWxC in every command that takes it (issue 28 item 6)', () => {
  it('compare --input 32x32x1 builds the model at that size, as summary does; --input-shape is still taken', async () => {
    const summary = await cli('summary', 'lenet', '--input', '32x32x1', '--json');
    expect(summary.code).toBe(0);
    expect(summary.out).toContain('[32, 32, 1]');
    for (const flag of ['--input', '--input-shape']) {
      const r = await cli('compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', flag, '32x32x1', '--json');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('"layer"');
    }
  });
});

describe('the dispatcher (issue 28 item 9)', () => {
  it('--version, -V and version print the package version, exit 0', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const r = await cli(flag);
      expect(r).toEqual({ code: 0, out: `convzoo ${version()}`, err: '' });
    }
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(commands.map((c) => c.name))("help %s prints that command's usage, as %s --help does", async (name) => {
    const viaHelp = await cli('help', name);
    const viaFlag = await cli(name, '--help');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe(viaFlag.out);
    expect(viaHelp.out).toMatch(new RegExp(`convzoo ${name}`));
  });

  it('an unknown command, also after help, exits 2 with the closest command', async () => {
    expect(await cli('trian')).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'trian' (did you mean 'train'?)") });
    expect(await cli('help', 'exprot')).toMatchObject({ code: 2, err: expect.stringContaining("(did you mean 'export'?)") });
  });

  it('the top-level help: one lowercase line per command, export names its three formats', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of commands) expect(c.summary[0], c.name).toBe(c.summary[0]!.toLowerCase());
    expect(r.out).toMatch(/export\s+write .*ONNX.*Keras.*Triton/);
    expect(r.out).toContain('--version');
  });
});

describe('train: one run, one place (issue 28 items 10, 11)', () => {
  it('refuses an existing checkpoint without --resume/--overwrite, logs each run in its own TensorBoard folder, times validation apart', async () => {
    const data = smallMnist(64, 16);
    const ckpt = join(work, 'ckpt');
    const logdir = join(work, 'logs');
    const args = ['train', '--data-dir', data, '--batch-size', '16', '--validation-split', '0.25', '--backend', 'onnx-cpu'];
    const first = await cli(...args, '--epochs', '2', '--out', ckpt, '--logdir', logdir);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    // 48 training images in 3 steps; the validation pass's time comes after the metrics, apart from the step time.
    expect(first.out).toMatch(/^3\/3 \[=+\] - \d+s \d+(ms|us)\/step - loss: .* - val_accuracy: \d\.\d{4} - val_time: \d+s \d+(ms|us|s)\/step$/m);

    const again = await cli(...args, '--epochs', '1', '--out', ckpt, '--logdir', logdir);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--out .*ckpt already holds a checkpoint: --resume continues it, --overwrite trains from scratch/);

    // --overwrite starts over: the 2-epoch run's snapshots go, the 1-epoch run's are all that is left.
    const replaced = await cli(...args, '--epochs', '1', '--out', ckpt, '--logdir', logdir, '--overwrite');
    expect(replaced.err).toBe('');
    expect(replaced.code).toBe(0);
    expect(readPointer(ckpt)).toMatchObject({ latest: 'epoch-0001', saved: ['epoch-0001'] });
    expect(existsSync(join(ckpt, 'epoch-0002'))).toBe(false);
    const runs = [first, replaced].map((r) => /this run: (\S+)\)/.exec(r.out)?.[1]);
    expect(runs[0]).toMatch(/^\d{8}-\d{6}(-\d+)?$/);
    expect(runs[1]).not.toBe(runs[0]);
    expect(readdirSync(logdir).sort()).toEqual([...runs].sort());
    for (const run of runs) expect(readdirSync(join(logdir, run!)).sort()).toEqual(['train', 'validation']);
  }, 60_000);

  it('names the default --out when the user gave none', () => {
    const dir = join(work, 'default-out');
    mkdirSync(dir);
    writeFileSync(join(dir, POINTER_FILE), '{}');
    expect(() => claimOut(dir, { resume: false, overwrite: false, given: false })).toThrow(/\(the default --out\) already holds a checkpoint: --resume/);
    expect(() => claimOut(dir, { resume: true, overwrite: false, given: false })).not.toThrow();
  });
});
