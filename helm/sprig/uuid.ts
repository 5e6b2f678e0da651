// Sprig's uuidv4 (google/uuid New): 16 random bytes with the version and variant bits set.
import { goFunc } from '../template/func.js';
import { randomBytes } from './random.js';

function uuidv4(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const uuidFuncs = {
  uuidv4: goFunc({ params: [] }, uuidv4),
};
