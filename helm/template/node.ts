// Parse-tree nodes of Go's text/template/parse (node.go). `toString()` prints a node as Go's
// String() does: the parse conformance tests compare Root.String(), and execution errors quote
// the failing node (`executing "x" at <.Values.foo>: ...`).

import { ItemType } from './lex.js';
import { parseFloat64, parseInt64, parseUint, quote, unquoteChar } from './strconv.js';
import { GoComplex } from './value.js';
import type { Tree } from './parse.js';

export enum NodeType {
  Text,
  Action,
  Bool,
  Chain,
  Command,
  Dot,
  Else,
  End,
  Field,
  Identifier,
  If,
  List,
  Nil,
  Number,
  Pipe,
  Range,
  String,
  Template,
  Variable,
  With,
  Comment,
  Break,
  Continue,
}

/** How text nodes print: Go uses "%s"; its parse tests switch to "%q". */
let textFormatQuoted = false;

export function setTextFormat(format: '%s' | '%q'): void {
  textFormatQuoted = format === '%q';
}

// Fields are assigned in constructors, never declared with initializers: class-field
// definitions cost a defineProperty per field and node creation dominates parsing.
export abstract class Node {
  declare readonly type: NodeType;
  declare tr: Tree | undefined;
  declare pos: number;
  constructor(tr: Tree | undefined, pos: number, type: NodeType) {
    (this as { type: NodeType }).type = type;
    this.tr = tr;
    this.pos = pos;
  }
  abstract toString(): string;
}

export class ListNode extends Node {
  declare nodes: Node[];
  constructor(tr: Tree | undefined, pos: number) {
    super(tr, pos, NodeType.List);
    this.nodes = [];
  }
  append(n: Node): void {
    this.nodes.push(n);
  }
  toString(): string {
    let s = '';
    for (const n of this.nodes) s += n.toString();
    return s;
  }
}

export class TextNode extends Node {
  declare text: string;
  constructor(tr: Tree | undefined, pos: number, text: string) {
    super(tr, pos, NodeType.Text);
    this.text = text;
  }
  toString(): string {
    return textFormatQuoted ? quote(this.text) : this.text;
  }
}

export class CommentNode extends Node {
  declare text: string;
  constructor(tr: Tree | undefined, pos: number, text: string) {
    super(tr, pos, NodeType.Comment);
    this.text = text;
  }
  toString(): string {
    return `{{${this.text}}}`;
  }
}

export class PipeNode extends Node {
  declare isAssign: boolean;
  declare cmds: CommandNode[];
  declare line: number;
  declare decl: VariableNode[];
  constructor(tr: Tree | undefined, pos: number, line: number, decl: VariableNode[] = []) {
    super(tr, pos, NodeType.Pipe);
    this.isAssign = false;
    this.cmds = [];
    this.line = line;
    this.decl = decl;
  }
  append(c: CommandNode): void {
    this.cmds.push(c);
  }
  toString(): string {
    let s = '';
    if (this.decl.length > 0) {
      s = this.decl.map((v) => v.toString()).join(', ');
      s += this.isAssign ? ' = ' : ' := ';
    }
    return s + this.cmds.map((c) => c.toString()).join(' | ');
  }
}

export class ActionNode extends Node {
  declare line: number;
  declare pipe: PipeNode;
  constructor(tr: Tree | undefined, pos: number, line: number, pipe: PipeNode) {
    super(tr, pos, NodeType.Action);
    this.line = line;
    this.pipe = pipe;
  }
  toString(): string {
    return `{{${this.pipe.toString()}}}`;
  }
}

export class CommandNode extends Node {
  declare args: Node[];
  constructor(tr: Tree | undefined, pos: number) {
    super(tr, pos, NodeType.Command);
    this.args = [];
  }
  append(arg: Node): void {
    this.args.push(arg);
  }
  toString(): string {
    let s = '';
    for (let i = 0; i < this.args.length; i++) {
      if (i > 0) s += ' ';
      const arg = this.args[i];
      s += arg.type === NodeType.Pipe ? `(${arg.toString()})` : arg.toString();
    }
    return s;
  }
}

export class IdentifierNode extends Node {
  declare ident: string;
  constructor(tr: Tree | undefined, pos: number, ident: string) {
    super(tr, pos, NodeType.Identifier);
    this.ident = ident;
  }
  toString(): string {
    return this.ident;
  }
}

export class VariableNode extends Node {
  declare ident: string[];
  /** ident is the source text ("$x.A") or the identifiers themselves. */
  constructor(tr: Tree | undefined, pos: number, ident: string | string[]) {
    super(tr, pos, NodeType.Variable);
    this.ident = typeof ident === 'string' ? ident.split('.') : ident;
  }
  toString(): string {
    return this.ident.join('.');
  }
}

export class DotNode extends Node {
  constructor(tr: Tree | undefined, pos: number) {
    super(tr, pos, NodeType.Dot);
  }
  toString(): string {
    return '.';
  }
}

export class NilNode extends Node {
  constructor(tr: Tree | undefined, pos: number) {
    super(tr, pos, NodeType.Nil);
  }
  toString(): string {
    return 'nil';
  }
}

export class FieldNode extends Node {
  declare ident: string[];
  /** ident is the source text (".A.B") or the identifiers themselves. */
  constructor(tr: Tree | undefined, pos: number, ident: string | string[]) {
    super(tr, pos, NodeType.Field);
    this.ident = typeof ident === 'string' ? ident.slice(1).split('.') : ident;
  }
  toString(): string {
    let s = '';
    for (const id of this.ident) s += '.' + id;
    return s;
  }
}

export class ChainNode extends Node {
  declare field: string[];
  declare node: Node;
  constructor(tr: Tree | undefined, pos: number, node: Node) {
    super(tr, pos, NodeType.Chain);
    this.field = [];
    this.node = node;
  }
  add(field: string): void {
    if (field.length === 0 || field[0] !== '.') throw new Error('no dot in field');
    field = field.slice(1);
    if (field === '') throw new Error('empty field');
    this.field.push(field);
  }
  toString(): string {
    let s = this.node.type === NodeType.Pipe ? `(${this.node.toString()})` : this.node.toString();
    for (const f of this.field) s += '.' + f;
    return s;
  }
}

export class BoolNode extends Node {
  declare true_: boolean;
  constructor(tr: Tree | undefined, pos: number, value: boolean) {
    super(tr, pos, NodeType.Bool);
    this.true_ = value;
  }
  toString(): string {
    return this.true_ ? 'true' : 'false';
  }
}

export class NumberNode extends Node {
  declare isInt: boolean;
  declare isUint: boolean;
  declare isFloat: boolean;
  declare isComplex: boolean;
  declare int64: bigint;
  declare uint64: bigint;
  declare float64: number;
  declare complex128: GoComplex;
  /** The untyped-constant value in a context without a type (exec's idealConstant), cached. */
  declare ideal: unknown;
  declare text: string;
  constructor(tr: Tree | undefined, pos: number, text: string) {
    super(tr, pos, NodeType.Number);
    this.isInt = false;
    this.isUint = false;
    this.isFloat = false;
    this.isComplex = false;
    this.int64 = 0n;
    this.uint64 = 0n;
    this.float64 = 0;
    this.complex128 = ZERO_COMPLEX;
    this.ideal = undefined;
    this.text = text;
  }
  toString(): string {
    return this.text;
  }

  private simplifyComplex(): void {
    this.isFloat = this.complex128.im === 0;
    if (this.isFloat) {
      const f = this.complex128.re;
      this.float64 = f;
      this.isInt = Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63;
      if (this.isInt) this.int64 = BigInt(f);
      this.isUint = Number.isInteger(f) && f >= 0 && f < 2 ** 64;
      if (this.isUint) this.uint64 = BigInt(f);
    }
  }

  /** Go's Tree.newNumber: classify and convert a number literal; throws Go's error text. */
  static parse(tr: Tree | undefined, pos: number, text: string, typ: ItemType): NumberNode {
    const n = new NumberNode(tr, pos, text);
    if (typ === ItemType.CharConstant) {
      const { value, tail } = unquoteChar(text.slice(1), text.charCodeAt(0));
      if (tail !== "'") throw new Error(`malformed character constant: ${text}`);
      n.int64 = BigInt(value);
      n.isInt = true;
      n.uint64 = BigInt(value);
      n.isUint = true;
      n.float64 = value;
      n.isFloat = true;
      return n;
    }
    if (typ === ItemType.Complex) {
      const c = parseComplex(text);
      if (c === null) throw new Error(`expected integer`);
      n.isComplex = true;
      n.complex128 = c;
      n.simplifyComplex();
      return n;
    }
    if (text.length > 0 && text[text.length - 1] === 'i') {
      const f = parseFloat64(text.slice(0, -1));
      if (f !== null) {
        n.isComplex = true;
        n.complex128 = new GoComplex(0, f);
        n.simplifyComplex();
        return n;
      }
    }
    const u = parseUint(text);
    if (u !== null) {
      n.isUint = true;
      n.uint64 = u;
    }
    const i = parseInt64(text);
    if (i !== null) {
      n.isInt = true;
      n.int64 = i;
      if (i === 0n) {
        n.isUint = true;
        n.uint64 = u ?? 0n;
      }
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      const f = parseFloat64(text);
      if (f !== null) {
        if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${quote(text)}`);
        n.isFloat = true;
        n.float64 = f;
        if (!n.isInt && Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
          n.isInt = true;
          n.int64 = BigInt(f);
        }
        if (!n.isUint && Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          n.isUint = true;
          n.uint64 = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${quote(text)}`);
    return n;
  }
}

const ZERO_COMPLEX = new GoComplex(0, 0);

const FLOAT_TOKEN = '[+-]?(?:[0-9a-fA-FxXoObB_.]+(?:[eEpP][+-]?[0-9_]+)?|[iI][nN][fF]|[nN][aA][nN])';
const COMPLEX_RE = new RegExp(`^\\(?(${FLOAT_TOKEN})([+-](?:[0-9a-fA-FxXoObB_.]+(?:[eEpP][+-]?[0-9_]+)?|[iI][nN][fF]|[nN][aA][nN]))i\\)?$`);

/** fmt.Sscan into a complex128: "re+imi" (what the lexer calls a complex constant). */
export function parseComplex(text: string): GoComplex | null {
  const m = COMPLEX_RE.exec(text);
  if (!m) return null;
  const re = parseFloat64(m[1]);
  const im = parseFloat64(m[2]);
  if (re === null || im === null) return null;
  return new GoComplex(re, im);
}

/** Whether fmt.Sscan would read text as a complex number (the parse tests' classification). */
export function isComplexSyntax(text: string): boolean {
  return parseComplex(text) !== null;
}

export class StringNode extends Node {
  declare quoted: string;
  declare text: string;
  constructor(tr: Tree | undefined, pos: number, quoted: string, text: string) {
    super(tr, pos, NodeType.String);
    this.quoted = quoted;
    this.text = text;
  }
  toString(): string {
    return this.quoted;
  }
}

export class EndNode extends Node {
  constructor(tr: Tree | undefined, pos: number) {
    super(tr, pos, NodeType.End);
  }
  toString(): string {
    return '{{end}}';
  }
}

export class ElseNode extends Node {
  declare line: number;
  constructor(tr: Tree | undefined, pos: number, line: number) {
    super(tr, pos, NodeType.Else);
    this.line = line;
  }
  toString(): string {
    return '{{else}}';
  }
}

export abstract class BranchNode extends Node {
  declare line: number;
  declare pipe: PipeNode;
  declare list: ListNode;
  declare elseList: ListNode | undefined;
  constructor(
    type: NodeType,
    tr: Tree | undefined,
    pos: number,
    line: number,
    pipe: PipeNode,
    list: ListNode,
    elseList: ListNode | undefined,
  ) {
    super(tr, pos, type);
    this.line = line;
    this.pipe = pipe;
    this.list = list;
    this.elseList = elseList;
  }
  protected abstract keyword(): string;
  toString(): string {
    let s = `{{${this.keyword()} ${this.pipe.toString()}}}${this.list.toString()}`;
    if (this.elseList) s += `{{else}}${this.elseList.toString()}`;
    return s + '{{end}}';
  }
}

export class IfNode extends BranchNode {
  constructor(tr: Tree | undefined, pos: number, line: number, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(NodeType.If, tr, pos, line, pipe, list, elseList);
  }
  protected keyword(): string { return 'if'; }
}

export class RangeNode extends BranchNode {
  constructor(tr: Tree | undefined, pos: number, line: number, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(NodeType.Range, tr, pos, line, pipe, list, elseList);
  }
  protected keyword(): string { return 'range'; }
}

export class WithNode extends BranchNode {
  constructor(tr: Tree | undefined, pos: number, line: number, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(NodeType.With, tr, pos, line, pipe, list, elseList);
  }
  protected keyword(): string { return 'with'; }
}

export class BreakNode extends Node {
  declare line: number;
  constructor(tr: Tree | undefined, pos: number, line: number) {
    super(tr, pos, NodeType.Break);
    this.line = line;
  }
  toString(): string {
    return '{{break}}';
  }
}

export class ContinueNode extends Node {
  declare line: number;
  constructor(tr: Tree | undefined, pos: number, line: number) {
    super(tr, pos, NodeType.Continue);
    this.line = line;
  }
  toString(): string {
    return '{{continue}}';
  }
}

export class TemplateNode extends Node {
  declare line: number;
  declare name: string;
  declare pipe: PipeNode | undefined;
  constructor(tr: Tree | undefined, pos: number, line: number, name: string, pipe: PipeNode | undefined) {
    super(tr, pos, NodeType.Template);
    this.line = line;
    this.name = name;
    this.pipe = pipe;
  }
  toString(): string {
    return `{{template ${quote(this.name)}${this.pipe ? ' ' + this.pipe.toString() : ''}}}`;
  }
}
