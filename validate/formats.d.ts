// Types of formats.js (plain JS: the generated validators import it at run time).
export interface FormatDefinition {
  readonly type: 'string' | 'number';
  readonly validate: (value: any) => boolean;
}
export declare const formats: Readonly<Record<string, FormatDefinition>>;
export declare const IGNORED_FORMATS: readonly string[];
export declare const FORMAT_DESCRIPTIONS: Readonly<Record<string, string>>;
