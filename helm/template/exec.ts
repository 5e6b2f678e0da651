// The executor of Go's text/template (exec.go) over the value model of value.ts.
//
// Operand states, as reflect.Value has them:
//   undefined — an invalid Value ("no value": a missing map key, nil data);
//   null      — a nil interface (a map or slice element that is nil; missingkey=zero's result);
//   MISSING   — no pipeline value was passed on to this command.
// A pipeline's result loses its interface wrapper, so null becomes undefined there, exactly where
// Go's evalPipeline takes Elem() of an interface value.

import { formatValue } from './fmt.js';
import type { GoParamType, GoSignature, TemplateFunc } from './func.js';
import {
  ActionNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, NodeType,
  NumberNode, PipeNode, RangeNode, StringNode, TemplateNode, TextNode, VariableNode, BoolNode,
} from './node.js';
import { BUILTINS, goTypeOf, paramTypeString, truth } from './builtins.js';
import { quote } from './strconv.js';
import { GoInt, GoMapType, GoStruct, isMap, sortedKeys, type IntKind } from './value.js';
import type { Tree } from './parse.js';

/** What exec needs from a template (template.ts implements it). */
export interface ExecTemplate {
  name(): string;
  readonly tree: Tree | undefined;
  lookup(name: string): ExecTemplate | undefined;
  findFunction(name: string): TemplateFunc | undefined;
  missingKey(): MissingKey;
}

export type MissingKey = 'invalid' | 'zero' | 'error';

/** An error raised while executing; `message` is Go's ExecError.Error() text. */
export class ExecError extends Error {
  constructor(readonly templateName: string, message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'ExecError';
  }
}

/** Go's limit on nested {{template}} calls; JS stacks end sooner, which reports the same error. */
export const MAX_EXEC_DEPTH = 100000;

const MISSING: unique symbol = Symbol('missing');

const WALK_NORMAL = 0;
const WALK_BREAK = 1;
const WALK_CONTINUE = 2;

const DEFAULT_SIGNATURE: GoSignature = { params: [], variadic: 'interface{}' };

const SMALL_INTS: GoInt[] = [];
for (let i = 0; i < 1024; i++) SMALL_INTS.push(new GoInt(BigInt(i), 'int'));

function goInt(i: number): GoInt {
  return i < 1024 ? SMALL_INTS[i] : new GoInt(BigInt(i), 'int');
}

const INT_KINDS = new Set(['int', 'int8', 'int16', 'int32', 'int64']);
const UINT_KINDS = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

function canBeNil(t: GoParamType): boolean {
  return t === 'interface{}' || t === 'reflect.Value' || t === '[]interface{}' || t === '[]string'
    || t === 'map[string]interface{}' || t === '[]byte';
}

/** Whether a concrete value is assignable to a declared parameter type. */
function assignable(v: unknown, t: GoParamType): boolean {
  switch (t) {
    case 'interface{}': case 'reflect.Value': return true;
    case 'string': return typeof v === 'string';
    case 'bool': return typeof v === 'boolean';
    case 'float64': return typeof v === 'number';
    case 'float32': return false;
    case '[]interface{}': return Array.isArray(v);
    case '[]string': return Array.isArray(v) && v.every((e) => typeof e === 'string');
    case 'map[string]interface{}': return isMap(v);
    case '[]byte': return v instanceof Uint8Array;
    default: return v instanceof GoInt && v.kind === t;
  }
}

function isStructField(v: GoStruct, name: string): boolean {
  return name !== 'goTypeName' && Object.hasOwn(v, name);
}

/** A method the value exposes to templates (named in its class's goMethods), unbound. */
function methodOf(v: GoStruct, name: string): TemplateFunc | undefined {
  const methods = (v.constructor as typeof GoStruct).goMethods;
  if (methods.length === 0 || !methods.includes(name)) return undefined;
  const fn = (v as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as TemplateFunc) : undefined;
}

/**
 * A JS stack overflow. Checked without regular expressions: compiling one this deep in the
 * stack overflows again (V8 then throws a SyntaxError).
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('call stack');
}

export class State {
  out = '';
  /** When set, what is written is appended here, string by string, instead of to `out`. */
  pieces: string[] | undefined;
  private node: Node | undefined;
  private varNames: string[];
  private varValues: unknown[];
  /**
   * Whether each variable, and dot, holds an element of a []interface{} or map (a value of
   * static type interface {}): Go names that type, not the element's, in field errors.
   */
  private varIface: boolean[];
  private dotIface = false;
  private lastVarIface = false;
  private depth = 0;
  /** The set's missingkey option (shared by all its templates, fixed while executing). */
  private readonly missingKey: MissingKey;

  constructor(private tmpl: ExecTemplate, data: unknown) {
    this.varNames = ['$'];
    this.varValues = [data];
    this.varIface = [false];
    this.missingKey = tmpl.missingKey();
  }

  // ---- errors ----

  at(node: Node): void {
    this.node = node;
  }

  errorf(msg: string, cause?: unknown): never {
    const name = this.tmpl.name();
    let text: string;
    if (this.node === undefined) {
      text = `template: ${name}: ${msg}`;
    } else {
      const tree = this.node.tr ?? this.tmpl.tree!;
      const [location, context] = tree.errorContext(this.node);
      text = `template: ${location}: executing ${quote(name)} at <${context}>: ${msg}`;
    }
    throw new ExecError(name, text, cause);
  }

  // ---- variables ----

  private mark(): number {
    return this.varNames.length;
  }

  private pop(mark: number): void {
    this.varNames.length = mark;
    this.varValues.length = mark;
    this.varIface.length = mark;
  }

  private push(name: string, value: unknown): void {
    this.varNames.push(name);
    this.varValues.push(value);
    this.varIface.push(false);
  }

  private setVar(name: string, value: unknown, iface = false): void {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = value;
        this.varIface[i] = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    this.varValues[this.varValues.length - n] = value;
    this.varIface[this.varIface.length - n] = iface;
  }

  private varValue(name: string): unknown {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.lastVarIface = this.varIface[i];
        return this.varValues[i];
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----

  run(dot: unknown): void {
    const tree = this.tmpl.tree;
    if (tree === undefined || tree.root === undefined) {
      this.errorf(`${quote(this.tmpl.name())} is an incomplete or empty template`);
    }
    this.walkList(dot, tree.root);
  }

  /** The nodes walkList does not handle itself (it handles text, actions, if and with). */
  private walk(dot: unknown, node: Node): number {
    this.node = node;
    switch (node.type) {
      case NodeType.Break:
        return WALK_BREAK;
      case NodeType.Continue:
        return WALK_CONTINUE;
      case NodeType.Comment:
        return WALK_NORMAL;
      case NodeType.List:
        return this.walkList(dot, node as ListNode);
      case NodeType.Range:
        return this.walkRange(dot, node as RangeNode);
      case NodeType.Template:
        this.walkTemplate(dot, node as TemplateNode);
        return WALK_NORMAL;
      default:
        this.errorf(`unknown node: ${node.toString()}`);
    }
  }

  /**
   * A list's common children are handled here rather than through walk: templates that include
   * templates nest this loop, and each frame saved lets include recursion go deeper before the
   * JS stack ends.
   */
  private walkList(dot: unknown, list: ListNode): number {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      let r = WALK_NORMAL;
      switch (n.type) {
        case NodeType.Text:
          this.write((n as TextNode).text);
          continue;
        case NodeType.Action: {
          this.node = n;
          const pipe = (n as ActionNode).pipe;
          const val = this.evalPipeline(dot, pipe);
          if (pipe.decl.length === 0) this.printValue(n, val);
          continue;
        }
        case NodeType.If:
        case NodeType.With:
          this.node = n;
          r = this.walkIfOrWith(n.type, dot, n as BranchNode);
          break;
        default:
          r = this.walk(dot, n);
      }
      if (r !== WALK_NORMAL) return r;
    }
    return WALK_NORMAL;
  }

  private walkIfOrWith(typ: NodeType, dot: unknown, b: BranchNode): number {
    const mark = this.mark();
    const val = this.evalPipeline(dot, b.pipe);
    let r = WALK_NORMAL;
    if (truth(val)) {
      if (typ === NodeType.With) {
        const dotIface = this.dotIface;
        this.dotIface = false;
        r = this.walkList(val, b.list);
        this.dotIface = dotIface;
      } else {
        r = this.walkList(dot, b.list);
      }
    } else if (b.elseList !== undefined) {
      r = this.walkList(dot, b.elseList);
    }
    this.pop(mark);
    return r;
  }

  private walkRange(dot: unknown, r: RangeNode): number {
    this.at(r);
    const outer = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const decl = r.pipe.decl;
    const outerDotIface = this.dotIface;
    const elemIface = Array.isArray(val) || (isMap(val) && !(val instanceof GoMapType));
    const oneIteration = (index: unknown, elem: unknown): number => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) {
          if (decl.length > 1) this.setVar(decl[0].ident[0], index);
          else this.setVar(decl[0].ident[0], elem, elemIface);
        } else {
          this.setTopVar(1, elem, elemIface);
        }
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem, elemIface);
        else this.setTopVar(2, index, false);
      }
      this.dotIface = elemIface;
      const res = this.walkList(elem, r.list);
      this.dotIface = outerDotIface;
      this.pop(mark);
      return res;
    };
    let ran = false;
    if (val instanceof GoInt) {
      if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
      for (let i = 0n; i < val.value; i++) {
        ran = true;
        const v = val.kind === 'int' && i < 1024n ? SMALL_INTS[Number(i)] : new GoInt(i, val.kind);
        if (oneIteration(undefined, v) === WALK_BREAK) break;
      }
    } else if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (oneIteration(goInt(i), val[i]) === WALK_BREAK) break;
      }
    } else if (val instanceof Uint8Array) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (oneIteration(goInt(i), new GoInt(BigInt(val[i]), 'uint8')) === WALK_BREAK) break;
      }
    } else if (val === undefined || val === null) {
      // An invalid value is likely a nil map, etc. and acts like an empty map.
    } else if (isMap(val)) {
      const keys = sortedKeys(val);
      for (let i = 0; i < keys.length; i++) {
        ran = true;
        const k = keys[i];
        if (oneIteration(k, val[k]) === WALK_BREAK) break;
      }
    } else {
      this.errorf(`range can't iterate over ${formatValue(val)}`);
    }
    if (!ran && r.elseList !== undefined) {
      this.walkList(dot, r.elseList);
    }
    this.pop(outer);
    return WALK_NORMAL;
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.tmpl.lookup(t.name);
    if (tmpl === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    dot = this.evalPipeline(dot, t.pipe);
    const saved = [this.tmpl, this.varNames, this.varValues, this.varIface, this.dotIface] as const;
    this.depth++;
    this.tmpl = tmpl;
    this.varNames = ['$'];
    this.varValues = [dot];
    this.varIface = [false];
    this.dotIface = false;
    try {
      const tree = tmpl.tree;
      if (tree === undefined || tree.root === undefined) {
        this.node = undefined;
        this.errorf(`${quote(tmpl.name())} is an incomplete or empty template`);
      }
      this.walkList(dot, tree.root);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      // Unwound one template level: report the recursion where Go would, at this call. The
      // RangeError stays the cause, so callers can still tell a stack overflow from other errors.
      [this.tmpl, this.varNames, this.varValues, this.varIface, this.dotIface] = saved;
      this.node = t;
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`, e);
    }
    [this.tmpl, this.varNames, this.varValues, this.varIface, this.dotIface] = saved;
    this.depth--;
  }

  // ---- evaluation ----

  evalPipeline(dot: unknown, pipe: PipeNode | undefined): unknown {
    if (pipe === undefined) return undefined;
    this.node = pipe;
    let value: unknown = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i], value);
      if (value === null) value = undefined;
    }
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      if (pipe.isAssign) this.setVar(decl[i].ident[0], value);
      else this.push(decl[i].ident[0], value);
    }
    return value;
  }

  private notAFunction(args: Node[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${args[0].toString()}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const firstWord = cmd.args[0];
    switch (firstWord.type) {
      case NodeType.Field:
        return this.evalFieldNode(dot, firstWord as FieldNode, cmd.args, final);
      case NodeType.Chain:
        return this.evalChainNode(dot, firstWord as ChainNode, cmd.args, final);
      case NodeType.Identifier:
        return this.evalFunction(dot, firstWord as IdentifierNode, cmd, cmd.args, final);
      case NodeType.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, firstWord as PipeNode);
      case NodeType.Variable:
        return this.evalVariableNode(dot, firstWord as VariableNode, cmd.args, final);
    }
    this.at(firstWord);
    this.notAFunction(cmd.args, final);
    switch (firstWord.type) {
      case NodeType.Bool: return (firstWord as BoolNode).true_;
      case NodeType.Dot: return dot;
      case NodeType.Nil: this.errorf('nil is not a command');
      // eslint-disable-next-line no-fallthrough
      case NodeType.Number: return this.idealConstant(firstWord as NumberNode);
      case NodeType.String: return (firstWord as StringNode).text;
    }
    this.errorf(`can't evaluate command ${quote(firstWord.toString())}`);
  }

  /** A number literal where no type is known: int, float64 or complex128 by its syntax. */
  private idealConstant(c: NumberNode): unknown {
    this.at(c);
    if (c.ideal !== undefined) return c.ideal;
    let v: unknown;
    const text = c.text;
    if (c.isComplex) {
      v = c.complex128;
    } else if (c.isFloat && !isHexInt(text) && text[0] !== "'" && /[.eEpP]/.test(text)) {
      v = c.float64;
    } else if (c.isInt) {
      v = new GoInt(c.int64, 'int');
    } else if (c.isUint) {
      this.errorf(`${text} overflows int`);
    }
    c.ideal = v;
    return v;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | undefined, final: unknown): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | undefined, final: unknown): unknown {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === NodeType.Nil) this.errorf(`indirection through explicit nil in ${chain.toString()}`);
    const pipe = this.evalArgUntyped(dot, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[] | undefined, final: unknown): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      else if (final !== MISSING) this.errorf(`can't give argument to non-function ${v.toString()}`);
      return value;
    }
    return this.evalFieldChain(dot, value, this.lastVarIface, v, v.ident, 1, args, final);
  }

  private evalFieldChain(
    dot: unknown, receiver: unknown, ifaceReceiver: boolean, node: Node, ident: string[], start: number,
    args: Node[] | undefined, final: unknown,
  ): unknown {
    const n = ident.length;
    for (let i = start; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i], node, undefined, MISSING, receiver, ifaceReceiver);
      ifaceReceiver = this.lastFromMap;
    }
    return this.evalField(dot, ident[n - 1], node, args, final, receiver, ifaceReceiver);
  }

  /** Whether the last evalField result came out of a map (static type interface {}). */
  private lastFromMap = false;

  private evalField(
    dot: unknown, fieldName: string, node: Node, args: Node[] | undefined, final: unknown,
    receiver: unknown, ifaceReceiver: boolean,
  ): unknown {
    this.lastFromMap = false;
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    if (typeof receiver === 'object' && Object.getPrototypeOf(receiver) === Object.prototype && final === MISSING
      && (args === undefined || args.length <= 1)) {
      // The common case: a plain map[string]interface{}, no arguments.
      return this.mapField(receiver as Record<string, unknown>, fieldName);
    }
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const method = methodOf(receiver, fieldName);
      if (method) return this.evalCall(dot, method, false, node, fieldName, args, final, receiver);
    }
    if (receiver instanceof GoStruct && !(receiver instanceof GoMapType)) {
      if (isStructField(receiver, fieldName)) {
        const c = fieldName.charCodeAt(0);
        // Exported means an upper-case first letter (no regular expression: see isStackOverflow).
        const first = String.fromCodePoint(fieldName.codePointAt(0)!);
        if (!(c >= 0x41 && c <= 0x5a) && (c < 0x80 || first === first.toLowerCase())) {
          this.errorf(`${fieldName} is an unexported field of struct type ${ifaceReceiver ? 'interface {}' : receiver.goTypeName}`);
        }
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return (receiver as unknown as Record<string, unknown>)[fieldName];
      }
    } else if (isMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return this.mapField(receiver, fieldName);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${ifaceReceiver ? 'interface {}' : goTypeOf(receiver)}`);
  }

  /** A map element by field syntax: missing keys follow the missingkey option. */
  private mapField(m: Record<string, unknown>, fieldName: string): unknown {
    this.lastFromMap = true;
    if (Object.hasOwn(m, fieldName)) {
      const v = m[fieldName];
      return v === undefined ? null : v;
    }
    switch (this.missingKey) {
      case 'zero': return null;
      case 'error': this.errorf(`map has no entry for key ${quote(fieldName)}`);
    }
    return undefined;
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | undefined, final: unknown): unknown {
    this.at(node);
    const name = node.ident;
    let fn = this.tmpl.findFunction(name);
    let isBuiltin = false;
    if (fn === undefined) {
      fn = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
      isBuiltin = true;
    }
    if (fn === undefined) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, isBuiltin, cmd, name, args, final);
  }

  private evalCall(
    dot: unknown, fn: TemplateFunc, isBuiltin: boolean, node: Node, name: string,
    argNodes: Node[] | undefined, final: unknown, receiver?: GoStruct,
  ): unknown {
    // argNodes[0] is the function itself, as in the shell.
    const nargs = argNodes === undefined ? 0 : argNodes.length - 1;
    const sig = fn.goSignature ?? DEFAULT_SIGNATURE;
    const params = sig.params;
    const numIn = nargs + (final !== MISSING ? 1 : 0);
    let numFixed = nargs;
    if (sig.variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nargs}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (let i = 1; i <= nargs; i++) {
        v = this.evalArg(dot, 'reflect.Value', argNodes![i]);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < nargs; i++) argv[i] = this.evalArg(dot, params[i], argNodes![i + 1]);
    if (sig.variadic !== undefined) {
      for (; i < nargs; i++) argv[i] = this.evalArg(dot, sig.variadic, argNodes![i + 1]);
    }
    if (final !== MISSING) {
      let t: GoParamType;
      if (sig.variadic !== undefined) t = numIn - 1 < numFixed ? params[numIn - 1] : sig.variadic;
      else t = params[params.length - 1];
      argv[i] = this.validateType(final, t);
    }

    let v: unknown;
    try {
      if (isBuiltin && name === 'call') {
        const calleeName = nargs === 0 ? formatValue(final) : argNodes![1].toString();
        v = callFunction(calleeName, argv[0], argv.slice(1));
      } else {
        v = fn.apply(receiver, argv);
      }
    } catch (e) {
      if (isStackOverflow(e)) throw e;
      this.at(node);
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`, e);
    }
    return v === undefined ? null : v;
  }

  /** Check (and for untyped nil, convert) an evaluated operand against a parameter type. */
  private validateType(value: unknown, typ: GoParamType): unknown {
    if (value === undefined) {
      if (typ === 'reflect.Value') return undefined;
      if (canBeNil(typ)) return null;
      this.errorf(`invalid value; expected ${paramTypeString(typ)}`);
    }
    if (typ === 'interface{}' || typ === 'reflect.Value') return value;
    if (value === null) this.errorf(`wrong type for value; expected ${paramTypeString(typ)}; got interface {}`);
    if (!assignable(value, typ)) {
      this.errorf(`wrong type for value; expected ${paramTypeString(typ)}; got ${goTypeOf(value)}`);
    }
    return value;
  }

  private evalArgUntyped(dot: unknown, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case NodeType.Dot: return dot;
      case NodeType.Field: return this.evalFieldNode(dot, n as FieldNode, undefined, MISSING);
      case NodeType.Variable: return this.evalVariableNode(dot, n as VariableNode, undefined, MISSING);
      case NodeType.Pipe: return this.evalPipeline(dot, n as PipeNode);
      case NodeType.Identifier: return this.evalFunction(dot, n as IdentifierNode, n, undefined, MISSING);
      case NodeType.Chain: return this.evalChainNode(dot, n as ChainNode, undefined, MISSING);
    }
    return this.evalEmptyInterface(dot, n);
  }

  private evalArg(dot: unknown, typ: GoParamType, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case NodeType.Dot:
        return this.validateType(dot, typ);
      case NodeType.Nil:
        if (canBeNil(typ)) return typ === 'reflect.Value' ? undefined : null;
        this.errorf(`cannot assign nil to ${paramTypeString(typ)}`);
      // eslint-disable-next-line no-fallthrough
      case NodeType.Field:
        return this.validateType(this.evalFieldNode(dot, n as FieldNode, undefined, MISSING), typ);
      case NodeType.Variable:
        return this.validateType(this.evalVariableNode(dot, n as VariableNode, undefined, MISSING), typ);
      case NodeType.Pipe:
        return this.validateType(this.evalPipeline(dot, n as PipeNode), typ);
      case NodeType.Identifier:
        return this.validateType(this.evalFunction(dot, n as IdentifierNode, n, undefined, MISSING), typ);
      case NodeType.Chain:
        return this.validateType(this.evalChainNode(dot, n as ChainNode, undefined, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === NodeType.Bool) return (n as BoolNode).true_;
        this.errorf(`expected bool; found ${n.toString()}`);
      // eslint-disable-next-line no-fallthrough
      case 'float64': case 'float32':
        if (n.type === NodeType.Number && (n as NumberNode).isFloat) return (n as NumberNode).float64;
        this.errorf(`expected float; found ${n.toString()}`);
      // eslint-disable-next-line no-fallthrough
      case 'interface{}': case 'reflect.Value':
        return this.evalEmptyInterface(dot, n);
      case 'string':
        if (n.type === NodeType.String) return (n as StringNode).text;
        this.errorf(`expected string; found ${n.toString()}`);
    }
    if (INT_KINDS.has(typ)) {
      if (n.type === NodeType.Number && (n as NumberNode).isInt) return new GoInt(wrapInt((n as NumberNode).int64, typ as IntKind), typ as IntKind);
      this.errorf(`expected integer; found ${n.toString()}`);
    }
    if (UINT_KINDS.has(typ)) {
      if (n.type === NodeType.Number && (n as NumberNode).isUint) return new GoInt(wrapInt((n as NumberNode).uint64, typ as IntKind), typ as IntKind);
      this.errorf(`expected unsigned integer; found ${n.toString()}`);
    }
    this.errorf(`can't handle ${n.toString()} for arg of type ${paramTypeString(typ)}`);
  }

  private evalEmptyInterface(dot: unknown, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case NodeType.Bool: return (n as BoolNode).true_;
      case NodeType.Dot: return dot;
      case NodeType.Field: return this.evalFieldNode(dot, n as FieldNode, undefined, MISSING);
      case NodeType.Identifier: return this.evalFunction(dot, n as IdentifierNode, n, undefined, MISSING);
      case NodeType.Nil: this.errorf("evalEmptyInterface: nil (can't happen)");
      // eslint-disable-next-line no-fallthrough
      case NodeType.Number: return this.idealConstant(n as NumberNode);
      case NodeType.String: return (n as StringNode).text;
      case NodeType.Variable: return this.evalVariableNode(dot, n as VariableNode, undefined, MISSING);
      case NodeType.Pipe: return this.evalPipeline(dot, n as PipeNode);
    }
    this.errorf(`can't handle assignment of ${n.toString()} to empty interface argument`);
  }

  private write(s: string): void {
    if (this.pieces === undefined) this.out += s;
    else this.pieces.push(s);
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (typeof v === 'string') {
      this.write(v);
      return;
    }
    if (v === undefined || v === null) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${n.toString()} of type ${goTypeOf(v)}`);
    this.write(formatValue(v));
  }
}

/** SetInt/SetUint on a sized kind keep the low bits, as Go's reflect does. */
function wrapInt(v: bigint, kind: IntKind): bigint {
  switch (kind) {
    case 'int8': return BigInt.asIntN(8, v);
    case 'int16': return BigInt.asIntN(16, v);
    case 'int32': return BigInt.asIntN(32, v);
    case 'uint8': return BigInt.asUintN(8, v);
    case 'uint16': return BigInt.asUintN(16, v);
    case 'uint32': return BigInt.asUintN(32, v);
    case 'uint': case 'uint64': case 'uintptr': return BigInt.asUintN(64, v);
    default: return BigInt.asIntN(64, v);
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

/** prepareArg of the `call` builtin: nil and int-kind conversions. */
function prepareArg(value: unknown, t: GoParamType): unknown {
  if (value === undefined || value === null) {
    if (!canBeNil(t)) throw new Error(`value is nil; should be of type ${paramTypeString(t)}`);
    return t === 'reflect.Value' ? value : null;
  }
  if (assignable(value, t)) return value;
  if (value instanceof GoInt && (INT_KINDS.has(t) || UINT_KINDS.has(t))) return new GoInt(wrapInt(value.value, t as IntKind), t as IntKind);
  throw new Error(`value has type ${goTypeOf(value)}; should be ${paramTypeString(t)}`);
}

/** The `call` builtin: call a function value with checked arguments. */
function callFunction(name: string, fn: unknown, args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function ${name} of type ${goTypeOf(fn)}`);
  const sig = (fn as TemplateFunc).goSignature ?? DEFAULT_SIGNATURE;
  const numIn = sig.params.length + (sig.variadic !== undefined ? 1 : 0);
  if (sig.variadic !== undefined) {
    if (args.length < numIn - 1) throw new Error(`wrong number of args for ${name}: got ${args.length} want at least ${numIn - 1}`);
  } else if (args.length !== numIn) {
    throw new Error(`wrong number of args for ${name}: got ${args.length} want ${numIn}`);
  }
  const argv = args.map((a, i) => {
    const t = sig.variadic === undefined || i < numIn - 1 ? sig.params[i] : sig.variadic;
    try {
      return prepareArg(a === null ? undefined : a, t);
    } catch (e) {
      throw new Error(`arg ${i}: ${(e as Error).message}`);
    }
  });
  return (fn as TemplateFunc)(...argv);
}
