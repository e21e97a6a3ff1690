/**
 * Milvus boolean-expression literals. Strings are double-quoted with backslash and double quote
 * escaped, so any chunk or document id (quotes, backslashes, unicode) is matched literally.
 */
export const milvusString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export const fieldInList = (field: string, values: readonly string[]): string => `${field} in [${values.map(milvusString).join(', ')}]`;

export const fieldNotEqual = (field: string, value: string): string => `${field} != ${milvusString(value)}`;

/** Milvus collection names: a letter or underscore, then letters, digits and underscores, ≤ 255. */
export const isValidCollectionName = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name);
