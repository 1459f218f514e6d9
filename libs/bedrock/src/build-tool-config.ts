import type { Tool, ToolConfiguration } from '@aws-sdk/client-bedrock-runtime';
import type { TurnRequest } from '@turnpool/protocol';

/** Description given to tools synthesized from the history. */
export const historyToolDescription = 'A tool used earlier in this conversation. It is not available now.';
/** Name of the placeholder tool sent when the history has tool results but no named tool calls. */
export const placeholderToolName = 'unavailable_tool';

/**
 * The `toolConfig` of a Converse request. Bedrock rejects a history with toolUse/toolResult
 * blocks unless a `toolConfig` is sent ("toolConfig must be defined"), so when the request
 * has no tools but the history has tool blocks, minimal tool specs are synthesized from the
 * tool names used in the history. Returns `undefined` when neither applies.
 */
export function buildToolConfig(request: TurnRequest, cachePoint: boolean): ToolConfiguration | undefined {
  const tools: Tool[] = [];
  if (request.tools !== undefined && request.tools.length > 0) {
    for (const t of request.tools) {
      tools.push({
        toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.inputSchema } },
      });
    }
  } else {
    const { names, hasToolBlocks } = collectHistoryToolNames(request);
    if (!hasToolBlocks) return undefined;
    for (const name of names.size > 0 ? names : [placeholderToolName]) {
      tools.push({ toolSpec: { name, description: historyToolDescription, inputSchema: { json: { type: 'object', properties: {} } } } });
    }
  }
  if (cachePoint) tools.push({ cachePoint: { type: 'default' } });
  const config: ToolConfiguration = { tools };
  const choice = request.tools !== undefined && request.tools.length > 0 ? request.toolChoice : undefined;
  if (choice === 'auto') config.toolChoice = { auto: {} };
  else if (choice === 'any') config.toolChoice = { any: {} };
  else if (choice !== undefined) config.toolChoice = { tool: { name: choice.tool } };
  return config;
}

function collectHistoryToolNames(request: TurnRequest): { names: Set<string>; hasToolBlocks: boolean } {
  const names = new Set<string>();
  let hasToolBlocks = false;
  for (const message of request.messages) {
    for (const block of message.content) {
      if ('toolUse' in block) {
        names.add(block.toolUse.name);
        hasToolBlocks = true;
      }
      if ('toolResult' in block) hasToolBlocks = true;
    }
  }
  return { names, hasToolBlocks };
}
