/**
 * Every failure the CLI reports is one of these two. Both carry enough to act on without reading
 * the stack: where (file, JSON pointer, line), what is wrong, and how to fix it.
 */
export interface SourceLocation {
  /** Path of the authored file, relative to the working directory. */
  file: string;
  /** JSON Pointer inside that file (RFC 6901), `''` for the whole document. */
  pointer: string;
  line?: number;
  column?: number;
}

export interface Problem {
  /** Pointer into the bundled contract; resolved to an authored location before it is shown. */
  pointer: string;
  message: string;
  fix: string;
  location?: SourceLocation;
}

/** The contract is readable but wrong: exit code 1. */
export class ContractError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ContractError';
  }
}

/** Bad arguments, or input that cannot be read or parsed at all: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function formatLocation(loc: SourceLocation | undefined, pointer?: string): string {
  if (!loc) return pointer === undefined ? '' : `#${pointer}`;
  const line = loc.line === undefined ? '' : `:${loc.line}${loc.column === undefined ? '' : `:${loc.column}`}`;
  return `${loc.file}${line} #${loc.pointer}`;
}

export function formatProblem(p: Problem): string {
  return `${formatLocation(p.location, p.pointer)}\n  error: ${p.message}\n  fix:   ${p.fix}`;
}
