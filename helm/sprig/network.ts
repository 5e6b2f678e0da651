// Sprig's getHostByName. A render never touches the network (Helm itself answers "" unless
// --enable-dns is given), so the lookup finds nothing and the name resolves to "".
import { goFunc } from '../template/func.js';

export const networkFuncs = {
  getHostByName: goFunc({ params: ['string'] }, (_name: string) => ''),
};
