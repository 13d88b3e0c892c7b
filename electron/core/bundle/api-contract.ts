// The bundles section of the API contract (electron/core/api/contract.ts spreads it in).
import { z } from 'zod';

const returns = <O>() => <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });

export const bundleContract = {
  list: returns<unknown[]>()(z.object({}).strict().optional()),
} as const;
