/** The event every benchmark writes: small, typical of a domain event. */
export function sampleEvent(worker: number, index: number): { type: string; data: unknown; metadata: unknown } {
  return {
    type: 'ItemAdded',
    data: { sku: `sku-${worker}-${index}`, quantity: (index % 5) + 1, price: 1999 },
    metadata: { correlationId: `w${worker}`, causationId: `i${index}` },
  };
}
