// Go's text/template in TypeScript: the Template API, its errors, fmt and the value model.
export { Template, TemplateError, ExecError, ParseError } from './template.js';
export { MAX_EXEC_DEPTH, isStackOverflow, type MissingKey } from './exec.js';
export { sprintf, sprint, sprintln, formatValue } from './fmt.js';
export { BUILTINS, htmlEscapeString, jsEscapeString, queryEscape } from './builtins.js';
export { goFunc, type FuncMap, type TemplateFunc, type GoSignature, type GoParamType } from './func.js';
export * from './value.js';
