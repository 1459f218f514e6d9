import type { ReasoningConfig } from '@turnpool/protocol';

/** Thinking budgets (tokens) used for `reasoning: {effort}`. */
export const effortBudgets = { low: 2048, medium: 8192, high: 16384 } as const;

/** The thinking budget a reasoning setting asks for. */
export function thinkingBudget(reasoning: ReasoningConfig): number {
  return 'budgetTokens' in reasoning ? reasoning.budgetTokens : effortBudgets[reasoning.effort];
}
