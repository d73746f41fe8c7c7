/**
 * The part of JSON Schema that errata checks a code's `meta` against at run time: the server's
 * guard (what it is about to send) and the client (what it received, before typing it). errata
 * emits each code's meta schema as data in this subset (generator/model/codec.ts, `metaCheck`):
 * types, members, required members, items, enums and constants, bounds, and the combinators.
 * Keywords outside it (`pattern`, `format`) are not checked; no regular expression from a contract
 * runs here. One pass over the value per schema branch, depth-bounded.
 */
export type MetaSchema = boolean | {
    readonly type?: string | readonly string[];
    readonly properties?: Readonly<Record<string, MetaSchema>>;
    readonly required?: readonly string[];
    readonly additionalProperties?: MetaSchema;
    readonly items?: MetaSchema;
    readonly enum?: readonly unknown[];
    readonly const?: unknown;
    readonly anyOf?: readonly MetaSchema[];
    readonly oneOf?: readonly MetaSchema[];
    readonly allOf?: readonly MetaSchema[];
    readonly minimum?: number;
    readonly maximum?: number;
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly minItems?: number;
    readonly maxItems?: number;
};
/** The first place `value` breaks `schema`, as `/field: expected string`; undefined when it fits. */
export declare function schemaProblem(value: unknown, schema: MetaSchema, at?: string, depth?: number): string | undefined;
