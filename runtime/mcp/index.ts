/** The MCP front-end: the engine's actions as MCP tools (docs/mcp.md). */
export { createMcpFront } from './front.js';
export type { McpFront, McpFrontOptions } from './front.js';
export { createMcpHttp } from './http.js';
export type { McpHttp, McpHttpOptions } from './http.js';
export { domainSlotSchema, toolSpec, usageSchema } from './schemas.js';
export type { JsonSchema, SlotType, SlotTypes, ToolSpec } from './schemas.js';
export { slotTypesFrom, slotTypesOf } from './slot-types.js';
