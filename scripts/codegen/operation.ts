import type {
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
} from '../../packages/core/src/vendor-definition.js';
// Not exported by core's entry, which only the runtime needs.
import { dateEncodings } from '../../packages/core/src/dates.js';
import { type Body, bodyType, type TypeOverride } from './body.js';
import { type Catalog, checkExamples, type ExampleMedia } from './catalog.js';
import { formBody } from './form-body.js';
import { checkMessageId } from './message-id.js';
import type { Operation, Spec } from './model.js';
import { checkEncodingConditions, queryParams } from './params.js';
import { buildReply, checkDefects, type Reply } from './reply.js';
import { formType, need, SpecError, xmlType } from './spec.js';
import { xmlBody } from './xml-body.js';

/** Everything the generator learns about one operation, beyond the runtime table. */
export interface OperationInfo {
  id: string;
  definition: OperationDefinition;
  summary: string;
  description: string;
  /** Media type of the success reply, for the result type. */
  mediaType: string;
  /** Media type of a POST body, when the parameters are in one. */
  bodyType?: string;
  /** Properties of the body the client fills in itself (credentials, constants). */
  injected: string[];
  /** Parameters typed otherwise than openapi-typescript types the wire: Dates, JSON-in-text. */
  overrides: TypeOverride[];
  /** The codes this operation's example replies carry. */
  exampleCodes: string[];
  /** Codes this operation adds to the vendor's catalog or gives its own meaning. */
  ownCodes: Catalog;
  decoded: Reply['decoded'];
  hasParams: boolean;
}

/** What the vendor's other parts give each operation: credentials so far and the vendor's codes. */
export interface OperationContext {
  schemeToOption: Map<string, string>;
  oauthSchemes: Set<string>;
  credentials: Record<string, CredentialDefinition>;
  vendorCodes: Catalog;
}

export function buildOperation(spec: Spec, op: Operation, context: OperationContext): OperationInfo {
  const { id, path, method, where, kind } = op;
  const { schemeToOption, oauthSchemes } = context;

  const params: Record<string, ParamDefinition> = queryParams(id, op.parameters);
  let body: Body | undefined;
  if (method === 'post')
    body =
      bodyType(id, op) === xmlType
        ? xmlBody(spec, id, op, context.credentials)
        : formBody(spec, id, op, context.credentials);
  if (method === 'post' && Object.keys(params).length > 0)
    throw new SpecError(`${id}: a POST operation takes its parameters in the form body`);
  Object.assign(params, body?.params);
  checkEncodingConditions(id, params);

  const requirements = op.security ?? spec.security ?? [];
  // `[{}, {oauth2: []}]`: the bearer token is sent when the client has OAuth2 credentials.
  const bearer = requirements.some((r) => Object.keys(r).some((scheme) => oauthSchemes.has(scheme)));
  const required = requirements.filter((r) => !Object.keys(r).some((scheme) => oauthSchemes.has(scheme)));
  if (required.length > 1 || (bearer && required.some((r) => Object.keys(r).length > 0))) {
    throw new SpecError(`${id}: alternative security requirements are only supported as [{}, {<oauth2 scheme>: []}]`);
  }
  const security = [
    ...Object.keys(required[0] ?? {}).map((scheme) =>
      need(schemeToOption.get(scheme), `${id}: security scheme ${scheme}`),
    ),
    ...(body?.security ?? []),
  ];
  for (const scheme of Object.keys(required[0] ?? {})) {
    const wireName = spec.securitySchemes[scheme]?.name;
    if (wireName !== undefined && Object.hasOwn(params, wireName))
      throw new SpecError(`${id}: parameter ${wireName} collides with the credential of the same name`);
  }
  const { oauth, secretReply, replyBudget, wait: waitParam } = op;
  if (waitParam !== undefined) {
    const schema = params[waitParam]?.schema;
    if (schema?.type !== 'integer' || (schema.minimum ?? -1) < 0)
      throw new SpecError(`${id}: x-smswire-wait must name an integer parameter (seconds) with minimum 0 or more`);
  }

  const ok = need(op.responses['200'], `${where}: a 200 response`);
  const content = need(ok.content, `${id}: 200 content`);
  const own = op.codes;
  const codes = { ...context.vendorCodes, ...own };
  const { reply, mediaType, decoded } = buildReply(spec, op, content, params);
  if (reply.codec !== 'scalar' && Object.keys(codes).length === 0)
    throw new SpecError(`${id}: x-smswire-codes is empty`);
  // Other documented replies with a body (OAuth2's 400) are decoded by the same codec.
  const responses = op.responses;
  const replyStatuses = Object.keys(responses).filter(
    (status) => /^[45][0-9][0-9]$/.test(status) && responses[status]!.content,
  );
  const examples = [ok, ...replyStatuses.map((status) => responses[status]!)].flatMap((response) =>
    Object.entries(response.content ?? {}).map(([type, m]): ExampleMedia => ({ type, examples: m.examples })),
  );
  checkMessageId(id, kind, op.messageId, reply);
  const exampleCodes = checkExamples(id, reply, codes, own, examples);
  if (reply.codec === 'xml' && reply.tolerate) checkDefects(id, reply.tolerate, examples);

  const definition: OperationDefinition = {
    method,
    path,
    // A send is a write to core: never repeated once it may have reached the vendor.
    kind: kind === 'read' ? 'read' : 'write',
    ...(op.servers ? { servers: op.servers.map((s) => s.url) } : {}),
    security,
    ...(body && Object.keys(body.credentialUnless).length ? { credentialUnless: body.credentialUnless } : {}),
    params,
    ...(body && Object.keys(body.fixed).length ? { fixed: body.fixed } : {}),
    ...(body?.dependentRequired ? { dependentRequired: body.dependentRequired } : {}),
    ...(body?.requiredIf ? { requiredIf: body.requiredIf } : {}),
    ...(body?.requiredAnyOf ? { requiredAnyOf: body.requiredAnyOf } : {}),
    ...(body?.xml ? { xml: body.xml } : {}),
    ...(replyStatuses.length ? { replyStatuses: replyStatuses.map(Number) } : {}),
    ...(oauth ? { oauth } : {}),
    ...(bearer ? { bearer: true as const } : {}),
    // Token and refresh replies always carry new tokens.
    ...(secretReply || oauth === 'token' || oauth === 'refresh' ? { secretReply: true as const } : {}),
    ...(replyBudget !== undefined ? { replyBudget } : {}),
    ...(waitParam !== undefined ? { waitParam } : {}),
    reply,
    codes,
  };
  return {
    id,
    definition,
    summary: need(op.summary, `${id}: summary`),
    description: op.description ?? '',
    mediaType,
    ...(body ? { bodyType: body.xml ? xmlType : formType } : {}),
    injected: body?.injected ?? [],
    overrides: [
      ...Object.entries(params)
        .filter(([, p]) => p.encode !== undefined && dateEncodings.has(p.encode))
        .map(([name, p]): TypeOverride => ({ name, required: p.required, type: { date: true } })),
      ...(body?.jsonTypes ?? []),
    ],
    decoded,
    hasParams: Object.keys(params).length > 0,
    exampleCodes,
    ownCodes: own,
  };
}
