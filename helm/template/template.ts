// The Template API of Go's text/template (template.go, option.go, exec.go's Execute*): a set of
// named templates sharing functions and options, parsed once and executed many times. Functions
// may re-enter the set while it executes (Helm's `include` calls executeTemplate, `tpl` clones
// the set and parses a new template into the clone).

import { BUILTINS } from './builtins.js';
import { ExecError, type ExecTemplate, MAX_EXEC_DEPTH, type MissingKey, State, isStackOverflow } from './exec.js';
import type { FuncMap, TemplateFunc } from './func.js';
import { type Tree, isEmptyTree, parse } from './parse.js';
import { quote } from './strconv.js';

/** An error of the Template API itself (Go returns these as plain errors, not ExecError). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

interface Common {
  tmpl: Map<string, Template>;
  missingKey: MissingKey;
  parseFuncs: Record<string, TemplateFunc>;
  execFuncs: Map<string, TemplateFunc>;
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

function newCommon(): Common {
  return { tmpl: new Map(), missingKey: 'invalid', parseFuncs: Object.create(null), execFuncs: new Map() };
}

export class Template implements ExecTemplate {
  tree: Tree | undefined;
  private common: Common;
  private leftDelim = '';
  private rightDelim = '';

  constructor(private readonly _name: string, common?: Common) {
    this.common = common ?? newCommon();
  }

  /** template.New */
  static new(name: string): Template {
    return new Template(name);
  }

  /** t.New: a new, empty template in the same set, with the same delimiters. */
  new(name: string): Template {
    const nt = new Template(name, this.common);
    nt.leftDelim = this.leftDelim;
    nt.rightDelim = this.rightDelim;
    return nt;
  }

  name(): string {
    return this._name;
  }

  /** Root of the parse tree, if parsed. */
  get root() {
    return this.tree?.root;
  }

  /** Clone: a copy of the set (trees shared, as Go shares them), so later parses don't touch the original. */
  clone(): Template {
    const c = newCommon();
    c.missingKey = this.common.missingKey;
    const nt = new Template(this._name, c);
    nt.tree = this.tree;
    nt.leftDelim = this.leftDelim;
    nt.rightDelim = this.rightDelim;
    for (const [k, v] of this.common.tmpl) {
      if (k === this._name) {
        c.tmpl.set(k, nt);
        continue;
      }
      const t = new Template(v._name, c);
      t.tree = v.tree;
      t.leftDelim = v.leftDelim;
      t.rightDelim = v.rightDelim;
      c.tmpl.set(k, t);
    }
    Object.assign(c.parseFuncs, this.common.parseFuncs);
    for (const [k, v] of this.common.execFuncs) c.execFuncs.set(k, v);
    return nt;
  }

  /** AddParseTree: associate tree with name in the set (a non-empty tree replaces an empty one). */
  addParseTree(name: string, tree: Tree): Template {
    const nt = name !== this._name ? this.new(name) : this;
    if (this.associate(nt, tree) || nt.tree === undefined) nt.tree = tree;
    return nt;
  }

  private associate(nt: Template, tree: Tree): boolean {
    const old = this.common.tmpl.get(nt._name);
    if (old !== undefined && isEmptyTree(tree.root) && old.tree !== undefined) return false;
    this.common.tmpl.set(nt._name, nt);
    return true;
  }

  /** All templates of the set (in no particular order, as Go's map). */
  templates(): Template[] {
    return [...this.common.tmpl.values()];
  }

  delims(left: string, right: string): this {
    this.leftDelim = left;
    this.rightDelim = right;
    return this;
  }

  /** Funcs: add functions to the set (they replace same-named ones, builtins included). */
  funcs(funcMap: FuncMap): this {
    for (const name of Object.keys(funcMap)) {
      if (!IDENTIFIER.test(name)) throw new TemplateError(`function name ${quote(name)} is not a valid identifier`);
      const fn = funcMap[name];
      if (typeof fn !== 'function') throw new TemplateError(`value for ${name} not a function`);
      this.common.execFuncs.set(name, fn);
      this.common.parseFuncs[name] = fn;
    }
    return this;
  }

  lookup(name: string): Template | undefined {
    return this.common.tmpl.get(name);
  }

  findFunction(name: string): TemplateFunc | undefined {
    return this.common.execFuncs.get(name);
  }

  missingKey(): MissingKey {
    return this.common.missingKey;
  }

  /** Parse: parse text as this template's body; {{define}}s join the set. Throws ParseError. */
  parse(text: string): this {
    const trees = parse(this._name, text, this.leftDelim, this.rightDelim, this.common.parseFuncs, BUILTINS);
    for (const [name, tree] of trees) this.addParseTree(name, tree);
    return this;
  }

  /** Option: "missingkey=default|invalid|zero|error". */
  option(...opts: string[]): this {
    for (const opt of opts) {
      if (opt === '') throw new TemplateError('empty option string');
      const eq = opt.indexOf('=');
      if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
        const value = opt.slice(eq + 1);
        if (value === 'invalid' || value === 'default') { this.common.missingKey = 'invalid'; continue; }
        if (value === 'zero' || value === 'error') { this.common.missingKey = value; continue; }
      }
      throw new TemplateError(`unrecognized option: ${opt}`);
    }
    return this;
  }

  /** Execute this template on data and return the output. Throws ExecError. */
  execute(data: unknown): string {
    // Not through executePartial: re-entrant execution (include) nests this call, so each
    // frame here counts against the JS stack.
    const dot = data === null ? undefined : data;
    const state = new State(this, dot);
    try {
      state.run(dot);
    } catch (e) {
      throw isStackOverflow(e) ? depthError(this._name, e) : e;
    }
    return state.out;
  }

  /** Execute, returning what was written before an error together with the error (Go's writer view). */
  executePartial(data: unknown): { output: string; error?: unknown } {
    const dot = data === null ? undefined : data;
    const state = new State(this, dot);
    try {
      state.run(dot);
    } catch (e) {
      return { output: state.out, error: isStackOverflow(e) ? depthError(this._name, e) : e };
    }
    return { output: state.out };
  }

  /** ExecuteTemplate: execute the named template of the set. */
  executeTemplate(name: string, data: unknown): string {
    const tmpl = this.lookup(name);
    if (tmpl === undefined) {
      throw new TemplateError(`template: no template ${quote(name)} associated with template ${quote(this._name)}`);
    }
    return tmpl.execute(data);
  }

  /**
   * executeTemplate, returning the strings written, in order (joined, they are its output):
   * a caller can tell an output equal to an earlier one without building it.
   */
  executeTemplatePieces(name: string, data: unknown): string[] {
    const tmpl = this.lookup(name);
    if (tmpl === undefined) {
      throw new TemplateError(`template: no template ${quote(name)} associated with template ${quote(this._name)}`);
    }
    const dot = data === null ? undefined : data;
    const state = new State(tmpl, dot);
    state.pieces = [];
    try {
      state.run(dot);
    } catch (e) {
      throw isStackOverflow(e) ? depthError(tmpl._name, e) : e;
    }
    return state.pieces;
  }

  /** "; defined templates are: "a", "b"" or "" (for error messages). */
  definedTemplates(): string {
    let s = '';
    for (const [name, t] of this.common.tmpl) {
      if (t.tree === undefined || t.tree.root === undefined) continue;
      s += s === '' ? '; defined templates are: ' : ', ';
      s += quote(name);
    }
    return s;
  }
}

/** A JS stack overflow that escaped the executor, reported as Go's depth limit. */
function depthError(name: string, cause: unknown): ExecError {
  return new ExecError(name, `template: ${name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, cause);
}

export { ExecError } from './exec.js';
export { ParseError } from './parse.js';
