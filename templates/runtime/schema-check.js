/** The first place `value` breaks `schema`, as `/field: expected string`; undefined when it fits. */
export function schemaProblem(value, schema, at = '', depth = 0) {
    if (schema === true)
        return undefined;
    if (schema === false)
        return `${at || '/'}: not allowed`;
    if (depth > 32)
        return undefined;
    const where = at || '/';
    if (schema.type !== undefined) {
        const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
        if (!types.some((t) => hasType(value, t)))
            return `${where}: expected ${types.join(' or ')}, got ${typeName(value)}`;
    }
    if (schema.const !== undefined && !same(value, schema.const))
        return `${where}: expected ${JSON.stringify(schema.const)}`;
    if (schema.enum && !schema.enum.some((e) => same(value, e)))
        return `${where}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
    if (typeof value === 'number') {
        if (schema.minimum !== undefined && value < schema.minimum)
            return `${where}: below ${schema.minimum}`;
        if (schema.maximum !== undefined && value > schema.maximum)
            return `${where}: above ${schema.maximum}`;
    }
    if (typeof value === 'string') {
        if (schema.minLength !== undefined && value.length < schema.minLength)
            return `${where}: shorter than ${schema.minLength}`;
        if (schema.maxLength !== undefined && value.length > schema.maxLength)
            return `${where}: longer than ${schema.maxLength}`;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems)
            return `${where}: fewer than ${schema.minItems} items`;
        if (schema.maxItems !== undefined && value.length > schema.maxItems)
            return `${where}: more than ${schema.maxItems} items`;
        if (schema.items !== undefined) {
            for (let i = 0; i < value.length; i++) {
                const p = schemaProblem(value[i], schema.items, `${at}/${i}`, depth + 1);
                if (p)
                    return p;
            }
        }
    }
    else if (typeof value === 'object' && value !== null) {
        const record = value;
        for (const name of schema.required ?? [])
            if (!Object.hasOwn(record, name))
                return `${at}/${escape(name)}: missing`;
        for (const [name, member] of Object.entries(record)) {
            const declared = schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
            const rule = declared ?? schema.additionalProperties;
            if (rule === undefined)
                continue;
            const p = schemaProblem(member, rule, `${at}/${escape(name)}`, depth + 1);
            if (p)
                return p;
        }
    }
    for (const part of schema.allOf ?? []) {
        const p = schemaProblem(value, part, at, depth + 1);
        if (p)
            return p;
    }
    if (schema.anyOf && !schema.anyOf.some((s) => schemaProblem(value, s, at, depth + 1) === undefined))
        return `${where}: matches none of its alternatives`;
    if (schema.oneOf && schema.oneOf.filter((s) => schemaProblem(value, s, at, depth + 1) === undefined).length !== 1)
        return `${where}: does not match exactly one of its alternatives`;
    return undefined;
}
function hasType(value, type) {
    switch (type) {
        case 'object':
            return typeof value === 'object' && value !== null && !Array.isArray(value);
        case 'array':
            return Array.isArray(value);
        case 'integer':
            return Number.isInteger(value);
        case 'number':
            return typeof value === 'number' && Number.isFinite(value);
        case 'null':
            return value === null;
        default:
            return typeof value === type;
    }
}
function typeName(value) {
    return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
function same(a, b) {
    if (a === b)
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
        return false;
    return JSON.stringify(a) === JSON.stringify(b);
}
function escape(name) {
    return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
