// Decoding and loading files (sharp, Node only), from @convzoo/image, errors as DatasetError (see pixels.ts).
import * as image from '@convzoo/image';
import { withDatasetErrors } from '../errors.js';

export const decodeImage: typeof image.decodeImage = (source, name) => withDatasetErrors(() => image.decodeImage(source, name));
export const loadImage: typeof image.loadImage = (source, options) => withDatasetErrors(() => image.loadImage(source, options));
