export { SafetensorsFile, type TensorInfo } from './read.ts';
export { writeSafetensors, type TensorToWrite } from './write.ts';
export { SAFETENSORS_DTYPES, bytesToFloat32, halfToFloat, type SafetensorsDtype } from './dtypes.ts';
