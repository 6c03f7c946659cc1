// Small wording pieces every text shares, written once.

/** "1 attempt", "3 attempts" (or the given plural). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
