// Sprig's fail: aborts the render with the given message as the function's error.
import { goFunc } from '../template/func.js';

export const flowFuncs = {
  fail: goFunc({ params: ['string'], results: 2 }, (msg: string): string => {
    throw new Error(msg);
  }),
};
