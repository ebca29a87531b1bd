/**
 * One answer per item, in the order asked: those `visible` admits are read
 * together by `read` (not called when there are none), the others answer null.
 */
export async function readVisible<Item, Answer>(
  items: readonly Item[],
  visible: (item: Item) => boolean,
  read: (visibleItems: Item[]) => Promise<Answer[]>,
): Promise<(Answer | null)[]> {
  const shown = items.filter(visible);
  const found = shown.length === 0 ? [] : await read(shown);
  if (shown.length === items.length) return found;
  let next = 0;
  return items.map((item) => (visible(item) ? found[next++]! : null));
}
