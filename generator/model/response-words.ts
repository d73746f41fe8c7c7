/**
 * What is wrong with an operation's error responses, in one set of words: `errata generate`
 * (readOperations) and the lint rules operation-error-codes and error-response-envelope both
 * report with these, so the two agree word for word.
 */
type Words = { message: string; fix: string };

export function noErrorResponses(operation: string): Words {
  return {
    message: `${operation} declares no error responses, so clients cannot know which error codes it returns`,
    fix: "add its 4xx/5xx responses, each with `x-errata-codes`, e.g. `'401': { $ref: '#/components/responses/Unauthorized' }`",
  };
}

export function codesMissing(status: string, operation: string): Words {
  return { message: `the ${status} response of ${operation} does not declare its error codes`, fix: 'list the codes it can return: `x-errata-codes: [SOME_CODE]` (each one defined in the catalog)' };
}

export function codesNotAList(status: string, operation: string, mapping: boolean): Words {
  return { message: `\`x-errata-codes\` of the ${status} response of ${operation} must be a non-empty list of codes`, fix: `write \`x-errata-codes: [SOME_CODE]\`${mapping ? ' (a list, not a mapping)' : ''}` };
}

export function foreignMediaType(status: string, operation: string, mediaType: string, envelope: { mediaType: string; schemaName: string }): Words {
  return {
    message: `the ${status} response of ${operation} answers ${mediaType}, but error bodies are ${envelope.mediaType} (the envelope's media type)`,
    fix: `use \`content: { ${envelope.mediaType}: { schema: { $ref: '#/components/schemas/${envelope.schemaName}' } } }\`, or leave \`content\` out: errata generate writes it`,
  };
}

export function inlineBody(status: string, operation: string, envelope: { schemaName: string }): Words {
  return {
    message: `the ${status} response of ${operation} describes its error body inline instead of using the envelope ${envelope.schemaName}`,
    fix: `write \`schema: { $ref: '#/components/schemas/${envelope.schemaName}' }\` (or a $ref to the file that defines it)`,
  };
}

export function foreignBody(status: string, operation: string, ref: string, envelope: { schemaName: string }): Words {
  return {
    message: `the ${status} response of ${operation} uses ${ref} as its error body, which is not the envelope ${envelope.schemaName}`,
    fix: `point it at the envelope: \`schema: { $ref: '#/components/schemas/${envelope.schemaName}' }\``,
  };
}

export function notTheFixedCode(status: string, operation: string, code: string, envelope: { name: string; fixedCode?: string | undefined }): Words {
  return {
    message: `the ${status} response of ${operation} uses the envelope ${envelope.name}, whose bodies always mean ${envelope.fixedCode}, but lists ${code}`,
    fix: `list only ${envelope.fixedCode} here, or move ${code} to a response that uses an envelope with a code field`,
  };
}

/** A code listed under responses of two envelopes: a client tells codes apart by the body's shape. */
export function codeInTwoEnvelopes(code: string, envelope: string, firstEnvelope: string, firstPointer: string): Words {
  return {
    message: `${code} is sent in the envelope ${envelope} here but in ${firstEnvelope} at ${firstPointer}; a client tells codes apart by the body's shape, so each code has one envelope`,
    fix: `send ${code} in one envelope everywhere, or give the other body its own code`,
  };
}
