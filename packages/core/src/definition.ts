/**
 * The runtime description of a vendor API that `pnpm generate` derives from its spec. Core
 * knows nothing about any vendor; it only interprets these tables.
 */

/** The subset of JSON Schema the client validates parameters with (see validate.ts). */
export interface ParamSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean';
  enum?: readonly (string | number | boolean)[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: readonly ParamSchema[];
  description?: string;
}

export interface ParamDefinition {
  in: 'query';
  required: boolean;
  schema: ParamSchema;
}

export interface CodeDefinition {
  outcome: 'success' | 'error';
  description: string;
  retryable?: boolean;
}

export type ReplyDefinition =
  | { codec: 'json'; status: string; decode?: Readonly<Record<string, 'epoch-ms'>> }
  | { codec: 'pipe' }
  | { codec: 'scalar' };

export interface OperationDefinition {
  method: 'get';
  path: string;
  /** `read` may be retried on any transient failure; `write` only when nothing can have been sent. */
  kind: 'read' | 'write';
  /** Operation-level servers; otherwise the vendor's. */
  servers?: readonly string[];
  /** Client option names of the credentials this operation sends. */
  security: readonly string[];
  params: Readonly<Record<string, ParamDefinition>>;
  reply: ReplyDefinition;
  codes: Readonly<Record<string, CodeDefinition>>;
}

export interface CredentialDefinition {
  in: 'query';
  name: string;
}

export interface VendorDefinition {
  vendor: string;
  servers: readonly string[];
  /** Keyed by client option name. */
  credentials: Readonly<Record<string, CredentialDefinition>>;
  operations: Readonly<Record<string, OperationDefinition>>;
}
