import type {
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
} from '../../packages/core/src/vendor-definition.js';
import type { Operation, Schema } from './model.js';
import { formType, need, SpecError, xmlType } from './spec.js';

/** Parameters typed otherwise than openapi-typescript types the wire: Dates, JSON-in-text. */
export interface TypeOverride {
  name: string;
  required: boolean;
  /** `date`: the wire type or a Date (a date encoding); `component`: the schema JSON text in a form field holds. */
  type: { date: true } | { component: string };
}

/** What a POST body contributes to an operation. */
export interface Body {
  params: Record<string, ParamDefinition>;
  /** Values the client sends itself (constants). */
  fixed: Record<string, string | string[]>;
  /** Client options of the credentials the body carries. */
  security: string[];
  /** Properties the client fills in (credentials, constants), left out of the parameter type. */
  injected: string[];
  dependentRequired?: OperationDefinition['dependentRequired'];
  requiredIf?: OperationDefinition['requiredIf'];
  requiredAnyOf?: OperationDefinition['requiredAnyOf'];
  jsonTypes: TypeOverride[];
  xml?: OperationDefinition['xml'];
  credentialUnless: Record<string, string[]>;
}

/** Keywords of a request body schema the generator reads; any other would be silently ignored. */
const bodyKeywords = new Set([
  'type',
  'required',
  'additionalProperties',
  'properties',
  'dependentRequired',
  'anyOf',
  'if',
  'then',
  'description',
  'title',
  'example',
  'examples',
  'xml',
]);

/** A body schema keyword the generator does not read would be a check that never happens. */
export function checkBodyKeywords(schema: Schema, id: string, refused: string[]) {
  for (const key of schema.keywords) {
    if (!bodyKeywords.has(key) || refused.includes(key))
      throw new SpecError(`${id}: request body keyword ${key} is not supported`);
  }
}

/** The one media type of a POST body: a URL-encoded form or XML. */
export function bodyType(id: string, op: Operation): string {
  const requestBody = need(op.requestBody, `${id}: a POST operation needs a requestBody`);
  const types = Object.keys(requestBody.content);
  if (types.length !== 1 || (types[0] !== formType && types[0] !== xmlType)) {
    throw new SpecError(
      `${id}: the request body must be ${formType} or ${xmlType} (found ${types.join(', ') || 'none'})`,
    );
  }
  return types[0]!;
}

/** Records a credential a body property carries (`x-smswire-credential`); one option, one place. */
export function bodyCredential(
  credentials: Record<string, CredentialDefinition>,
  option: string,
  credential: CredentialDefinition,
  where: string,
): string {
  const existing = credentials[option];
  if (existing && (existing.in !== credential.in || existing.name !== credential.name))
    throw new SpecError(`${where}: credential ${option} is already sent as ${existing.in} ${existing.name}`);
  credentials[option] = credential;
  return option;
}
