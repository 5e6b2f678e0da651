// Types of the parts of gen-schemas.mjs that tests import (it re-exports the shared conversion).
export { convert, convertCrdRoot, type ConvertContext } from '../validate/schema-conversion.js';
