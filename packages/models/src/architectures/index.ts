// Architecture builders (one file per family) and the model registry (listModels, getModel, and the pretrained
// weight tags: listWeightTags, getWeightTag).
export { ModelOptionError, shapeAt, ceilModeMaxPool, convBnRelu, TORCH_BN } from './common.js';
export type { InputOptions, ClassifierOptions, BnSettings } from './common.js';
export { lenet, LENET_FLAVOURS, LENET_INPUT } from './lenet.js';
export type { LeNetOptions, LeNetFlavour } from './lenet.js';
export { alexnet, ALEXNET_FLAVOURS, ALEXNET_INPUT } from './alexnet.js';
export type { AlexNetOptions, AlexNetFlavour } from './alexnet.js';
export { vgg, vgg11, vgg13, vgg16, vgg19, vgg11Bn, vgg13Bn, vgg16Bn, vgg19Bn, VGG_CONFIGS, VGG_INPUT } from './vgg.js';
export type { VggOptions, VggName } from './vgg.js';
export { googlenet, inceptionModule, GOOGLENET_MODULES, TUTORIAL_GOOGLENET_MODULES, GOOGLENET_FLAVOURS } from './googlenet.js';
export type { GoogLeNetOptions, GoogLeNetFlavour, InceptionModuleOptions } from './googlenet.js';
export { inceptionV3, INCEPTION_V3_INPUT } from './inception-v3.js';
export type { InceptionV3Options } from './inception-v3.js';
export { resnet, resnet18, resnet34, resnet50, resnet101, resnet152, RESNET_CONFIGS, RESNET_FLAVOURS, RESNET_INPUT, defaultResNetFlavour } from './resnet.js';
export type { ResNetOptions, ResNetName, ResNetBlock, ResNetFlavour } from './resnet.js';
export { residualUnit, residualLayer, tutorialResnet, TUTORIAL_RESNET_INPUT } from './residual.js';
export type { ResidualUnitOptions, TutorialResNetOptions } from './residual.js';
export { plainNet, cifarResnet, CIFAR_INPUT } from './cifar.js';
export type { CifarNetOptions } from './cifar.js';
export { listModels, getModel, closeModelNames, listWeightTags, getWeightTag } from './registry.js';
export { WeightsOptionError, findWeightTag, weightsBuildOptions } from './weight-tags.js';
export type { WeightTag, WeightTagInfo, WeightBuild, WeightFormat, NpmWeightFiles, ImageRecipe, LabelSetId } from './weight-tags.js';
export type { ModelInfo, FlavourShapes } from './registry.js';
