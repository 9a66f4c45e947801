// The op table: TF op name → handler. An op missing here fails the conversion with its name.
import type { OpHandler } from '../context.js';
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';
import { spatialOps } from './spatial.js';

export const opTable: Readonly<Record<string, OpHandler>> = {
  ...convOps,
  ...elementwiseOps,
  ...reduceOps,
  ...shapeOps,
  ...spatialOps,
};
