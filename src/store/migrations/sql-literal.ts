/** Names from tables.ts are fixed identifiers, never user input; quoted as SQL literals for function bodies. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
