// Which photos each shipped TFJS model is checked on, in three groups (tfjs-parity.test.ts).
export const detectorCases: Record<string, string[]> = {
  'blazeface-back': ['009_C.jpg', '001_A.jpg'],
  'blazeface-front': ['002_A.jpg', '007_B.jpg'],
  'facemesh-detection-full': ['009_C.jpg', '003_A.jpg'],
  'facemesh-detection-short': ['001_A.jpg', '008_B.jpg'],
  facemesh: ['009_C.jpg', '001_A.jpg'],
  iris: ['004_A.jpg', '005_A.jpg'],
};

export const faceresCases: Record<string, string[]> = {
  faceres: ['009_C.jpg', '001_A.jpg'],
  'faceres-deep': ['002_A.jpg', '009_C.jpg'],
};

export const attributeCases: Record<string, string[]> = {
  antispoof: ['009_C.jpg', '001_A.jpg'],
  liveness: ['009_C.jpg', '006_A.jpg'],
  emotion: ['001_A.jpg', '002_A.jpg'],
  gender: ['003_A.jpg', '009_C.jpg'],
  age: ['004_A.jpg', '007_B.jpg'],
  gear: ['009_C.jpg', '001_A.jpg'],
};
