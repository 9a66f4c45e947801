// How the model tests open onnxruntime-node sessions: on one thread. The default (a thread per core, spinning while
// idle) keeps burning a second core after each run, against tfjs's, sharp's and the other test worker's work: the
// TFJS parity cases took ~8.7 core-s with it and ~6.5 without. The server's sessions sleep instead (ort.ts).
import type { InferenceSession } from 'onnxruntime-node';

export const ONE_THREAD: InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
