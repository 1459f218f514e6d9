/** One part a stack command started (dispatcher, worker host), closed when the process stops. */
export interface StackPart {
  /** Names the part in the line an unclean stop prints ("worker host"). */
  name: string;
  /** Resolves once closed; rejects with one line saying what it had to give up. */
  close(): Promise<unknown>;
}
