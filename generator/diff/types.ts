import type { SourceLocation } from '../errors';
import type { CatalogCode, ErrorContract, Operation } from '../model/types';

/**
 * How a change affects a client generated from the old contract talking to a server built from
 * the new one (docs/diff.md): it misreads a response (breaking), it meets something it has no
 * branch for (warning: breaking for exhaustive clients only), or it keeps working (safe).
 */
export type Level = 'breaking' | 'warning' | 'safe';
/** A rule's level after the policy: `off` drops its changes. */
export type PolicyLevel = Level | 'off';
export const LEVELS: readonly Level[] = ['breaking', 'warning', 'safe'];

/** One side of a diff as the rules see it: the model plus what it was read from. */
export interface Side {
  /** As given: `openapi/openapi.yaml` or `main:openapi/openapi.yaml`. */
  label: string;
  model: ErrorContract;
  /** The bundled document, for the raw `x-errata-codes` lists (entry indexes for pointers). */
  document: Record<string, unknown>;
  /** Authored locations of pointers into the bundled document, located together. */
  locate(pointers: readonly string[]): Map<string, SourceLocation | undefined>;
}

/** Where a change is on one side: a pointer into the bundled document and its authored place. */
export interface Place {
  pointer: string;
  location?: SourceLocation;
}

export interface Change {
  rule: string;
  level: Level;
  /** One line: what changed and what it does to a client. */
  message: string;
  code?: string;
  /** `uploadImage`, or `post /v1/images` when there is no operationId. */
  operation?: string;
  /** The status key or HTTP status the change is about. */
  status?: string;
  old?: Place;
  new?: Place;
}

/** A change as a rule reports it; the engine adds the level and the authored locations. */
export interface Finding {
  message: string;
  code?: string;
  operation?: string;
  status?: string;
  /** Pointers into each side's bundled document. */
  old?: string;
  new?: string;
}

/** A code an operation returns: under which HTTP statuses, each through which status key. */
export interface Reach {
  /** HTTP status → the status key a client resolves it to, and the code's entry there. */
  statuses: Map<number, { key: string; pointer: string }>;
}

/** An operation (or the unrouted errors) on one side, with what a client resolves per status. */
export interface OperationView {
  op: Operation;
  /** Error responses by normalised status key (`404`, `4XX`, `default`). */
  responses: Map<string, Operation['errors'][number]>;
  /** Where each status key is written in the operation (`…/responses/404`), by normalised key. */
  keys: Map<string, string>;
  /** Every code the operation can answer, by where a client meets it. */
  codes: Map<string, Reach>;
}

export interface ContractPair {
  old: Side;
  new: Side;
}
export interface CodePair extends ContractPair {
  before: CatalogCode;
  after: CatalogCode;
}
export interface OperationPair extends ContractPair {
  before: OperationView;
  after: OperationView;
}
export interface CatalogPair extends ContractPair {
  /** Codes some operation (or the unrouted errors) returns, per side. */
  returned: { old: ReadonlySet<string>; new: ReadonlySet<string> };
}

export interface Subjects {
  contract: ContractPair;
  catalog: CatalogPair;
  code: CodePair;
  operation: OperationPair;
}

/**
 * One kind of change: a stable id (what the policy names), its default level, and a small
 * comparison of one matched pair of model objects.
 */
export interface Rule<S extends keyof Subjects = keyof Subjects> {
  id: string;
  level: Level;
  subject: S;
  /** Why the level: one sentence, shown by `errata diff --rules` and in docs/diff.md. */
  why: string;
  check(pair: Subjects[S]): Iterable<Finding>;
}
