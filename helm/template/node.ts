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

export abstract class Node {
  abstract readonly type: NodeType;
  constructor(public tr: Tree | undefined, public pos: number) {}
  abstract toString(): string;
}

export class ListNode extends Node {
  readonly type = NodeType.List;
  nodes: Node[] = [];
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
  readonly type = NodeType.Text;
  constructor(tr: Tree | undefined, pos: number, public text: string) { super(tr, pos); }
  toString(): string {
    return textFormatQuoted ? quote(this.text) : this.text;
  }
}

export class CommentNode extends Node {
  readonly type = NodeType.Comment;
  constructor(tr: Tree | undefined, pos: number, public text: string) { super(tr, pos); }
  toString(): string {
    return `{{${this.text}}}`;
  }
}

export class PipeNode extends Node {
  readonly type = NodeType.Pipe;
  isAssign = false;
  cmds: CommandNode[] = [];
  constructor(tr: Tree | undefined, pos: number, public line: number, public decl: VariableNode[] = []) { super(tr, pos); }
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
  readonly type = NodeType.Action;
  constructor(tr: Tree | undefined, pos: number, public line: number, public pipe: PipeNode) { super(tr, pos); }
  toString(): string {
    return `{{${this.pipe.toString()}}}`;
  }
}

export class CommandNode extends Node {
  readonly type = NodeType.Command;
  args: Node[] = [];
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
  readonly type = NodeType.Identifier;
  constructor(tr: Tree | undefined, pos: number, public ident: string) { super(tr, pos); }
  toString(): string {
    return this.ident;
  }
}

export class VariableNode extends Node {
  readonly type = NodeType.Variable;
  ident: string[];
  constructor(tr: Tree | undefined, pos: number, ident: string) {
    super(tr, pos);
    this.ident = ident.split('.');
  }
  toString(): string {
    return this.ident.join('.');
  }
}

export class DotNode extends Node {
  readonly type = NodeType.Dot;
  toString(): string {
    return '.';
  }
}

export class NilNode extends Node {
  readonly type = NodeType.Nil;
  toString(): string {
    return 'nil';
  }
}

export class FieldNode extends Node {
  readonly type = NodeType.Field;
  ident: string[];
  constructor(tr: Tree | undefined, pos: number, ident: string) {
    super(tr, pos);
    this.ident = ident.slice(1).split('.');
  }
  toString(): string {
    let s = '';
    for (const id of this.ident) s += '.' + id;
    return s;
  }
}

export class ChainNode extends Node {
  readonly type = NodeType.Chain;
  field: string[] = [];
  constructor(tr: Tree | undefined, pos: number, public node: Node) { super(tr, pos); }
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
  readonly type = NodeType.Bool;
  constructor(tr: Tree | undefined, pos: number, public true_: boolean) { super(tr, pos); }
  toString(): string {
    return this.true_ ? 'true' : 'false';
  }
}

export class NumberNode extends Node {
  readonly type = NodeType.Number;
  isInt = false;
  isUint = false;
  isFloat = false;
  isComplex = false;
  int64 = 0n;
  uint64 = 0n;
  float64 = 0;
  complex128 = new GoComplex(0, 0);
  /** The untyped-constant value in a context without a type (exec's idealConstant), cached. */
  ideal: unknown = undefined;
  constructor(tr: Tree | undefined, pos: number, public text: string) { super(tr, pos); }
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
  readonly type = NodeType.String;
  constructor(tr: Tree | undefined, pos: number, public quoted: string, public text: string) { super(tr, pos); }
  toString(): string {
    return this.quoted;
  }
}

export class EndNode extends Node {
  readonly type = NodeType.End;
  toString(): string {
    return '{{end}}';
  }
}

export class ElseNode extends Node {
  readonly type = NodeType.Else;
  constructor(tr: Tree | undefined, pos: number, public line: number) { super(tr, pos); }
  toString(): string {
    return '{{else}}';
  }
}

export abstract class BranchNode extends Node {
  constructor(
    tr: Tree | undefined,
    pos: number,
    public line: number,
    public pipe: PipeNode,
    public list: ListNode,
    public elseList: ListNode | undefined,
  ) {
    super(tr, pos);
  }
  protected abstract keyword(): string;
  toString(): string {
    let s = `{{${this.keyword()} ${this.pipe.toString()}}}${this.list.toString()}`;
    if (this.elseList) s += `{{else}}${this.elseList.toString()}`;
    return s + '{{end}}';
  }
}

export class IfNode extends BranchNode {
  readonly type = NodeType.If;
  protected keyword(): string { return 'if'; }
}

export class RangeNode extends BranchNode {
  readonly type = NodeType.Range;
  protected keyword(): string { return 'range'; }
}

export class WithNode extends BranchNode {
  readonly type = NodeType.With;
  protected keyword(): string { return 'with'; }
}

export class BreakNode extends Node {
  readonly type = NodeType.Break;
  constructor(tr: Tree | undefined, pos: number, public line: number) { super(tr, pos); }
  toString(): string {
    return '{{break}}';
  }
}

export class ContinueNode extends Node {
  readonly type = NodeType.Continue;
  constructor(tr: Tree | undefined, pos: number, public line: number) { super(tr, pos); }
  toString(): string {
    return '{{continue}}';
  }
}

export class TemplateNode extends Node {
  readonly type = NodeType.Template;
  constructor(
    tr: Tree | undefined,
    pos: number,
    public line: number,
    public name: string,
    public pipe: PipeNode | undefined,
  ) {
    super(tr, pos);
  }
  toString(): string {
    return `{{template ${quote(this.name)}${this.pipe ? ' ' + this.pipe.toString() : ''}}}`;
  }
}
