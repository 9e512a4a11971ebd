// Architecture builders and the model registry (listModels, getModel) are exported from here.
export {};
